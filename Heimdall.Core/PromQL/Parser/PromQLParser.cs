using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Parser;

/// <summary>
/// Parses PromQL (Prometheus 3.x and Mimir) into the immutable AST in <see cref="Ast"/>, type-checked as Prometheus does.
/// Inputs longer than <see cref="MaxQueryLength"/> or nested deeper than <see cref="MaxDepth"/> are rejected, so no input
/// can exhaust the stack. Thread-safe.
/// </summary>
public static class PromQLParser
{
    /// <summary>The longest accepted query, in characters.</summary>
    public const int MaxQueryLength = 1 << 20;

    /// <summary>The deepest accepted expression tree (parentheses, calls, operator chains).</summary>
    public const int MaxDepth = 1000;

    /// <summary>Parses and type-checks <paramref name="query"/>.</summary>
    /// <param name="query">The query text.</param>
    /// <exception cref="PromQLParseException">The query is not valid PromQL.</exception>
    public static Expr Parse(string query) =>
        TryParse(query, out var expr, out var error) ? expr! : throw new PromQLParseException(error!);

    /// <summary>Parses and type-checks <paramref name="query"/> without throwing.</summary>
    /// <param name="query">The query text.</param>
    /// <param name="expr">The tree on success.</param>
    /// <param name="error">The first error on failure.</param>
    public static bool TryParse(string query, out Expr? expr, out PromQLParseError? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ExprParser.TryParse(query, out expr, out error);
    }

    /// <summary>Parses one label matcher such as <c>env="prod"</c>, <c>team=~"a|b"</c> or <c>"service.name"!="x"</c>.</summary>
    /// <param name="text">The matcher text.</param>
    /// <exception cref="PromQLParseException">The text is not one valid matcher.</exception>
    public static LabelMatcher ParseMatcher(string text) =>
        TryParseMatcher(text, out var matcher, out var error) ? matcher! : throw new PromQLParseException(error!);

    /// <summary>Parses one label matcher without throwing.</summary>
    /// <param name="text">The matcher text.</param>
    /// <param name="matcher">The matcher on success.</param>
    /// <param name="error">The error on failure.</param>
    public static bool TryParseMatcher(string text, out LabelMatcher? matcher, out PromQLParseError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ExprParser.TryParseMatcher(text, out matcher, out error);
    }
}
