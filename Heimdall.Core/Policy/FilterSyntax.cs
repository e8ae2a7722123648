using System.Text.RegularExpressions;
using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Core.Policy;

/// <summary>
/// Checks that a policy filter is exactly one PromQL label matcher, with the PromQL parser itself
/// (<see cref="PromQLParser.TryParseMatcher"/>): a label name or quoted UTF-8 name, one of <c>= != =~ !~</c>,
/// a PromQL string literal, and for regex matchers a pattern that compiles. Regexes must also stay within
/// RE2, which Prometheus and Mimir use. The one seam between policy validation and PromQL syntax.
/// </summary>
internal static partial class FilterSyntax
{
    /// <summary>Null when <paramref name="filter"/> is a valid matcher, else the reason (with line:column).</summary>
    public static string? Validate(string filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return "empty filter; expected a label matcher such as env=\"prod\"";
        }
        if (!PromQLParser.TryParseMatcher(filter, out var matcher, out var error))
        {
            return error!.ToString();
        }
        if (matcher!.Type is LabelMatchType.Regex or LabelMatchType.NotRegex && NotRe2().IsMatch(matcher.Value))
        {
            return $"regex \"{matcher.Value}\" uses a construct RE2 does not support (lookaround, backreference, atomic group or possessive quantifier)";
        }
        return null;
    }

    // Constructs .NET accepts but RE2 (Prometheus, Mimir) refuses.
    [GeneratedRegex(@"\(\?(<?[=!]|>)|\\[1-9]|\\k<|[*+?}]\+")]
    private static partial Regex NotRe2();
}
