using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Parser;

/// <summary>Recursive-descent parser with precedence climbing.</summary>
internal sealed class ExprParser
{
    public static bool TryParse(string query, out Expr? expr, out PromQLParseError? error) => throw new NotImplementedException();

    public static bool TryParseMatcher(string text, out LabelMatcher? matcher, out PromQLParseError? error) => throw new NotImplementedException();
}
