using System.Diagnostics.CodeAnalysis;
using Heimdall.Core.Policy;
using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>
/// What a caller may see of one tenant: alternatives (ORed), each a list of label matchers (ANDed), in disjunctive
/// normal form (DESIGN §3). One empty alternative (<c>[[]]</c>) is unrestricted. A grant is normalised when created:
/// duplicate matchers and alternatives are removed, an alternative implied by a smaller one is absorbed, and
/// alternatives that differ only in one label's positive matcher (<c>team="a"</c> / <c>team="b"</c>) are merged into one
/// regex matcher with regex-escaped values (<c>team=~"a|b"</c>).
/// </summary>
public sealed class Grant
{
    private Grant(IReadOnlyList<IReadOnlyList<LabelMatcher>> alternatives) => Alternatives = alternatives;

    /// <summary>The grant that restricts nothing (<c>[[]]</c>).</summary>
    public static Grant Unrestricted { get; } = new([Array.Empty<LabelMatcher>()]);

    /// <summary>The normalised alternatives: at least one; exactly one empty alternative when unrestricted.</summary>
    public IReadOnlyList<IReadOnlyList<LabelMatcher>> Alternatives { get; }

    /// <summary>True when the grant restricts nothing.</summary>
    public bool IsUnrestricted => Alternatives.Count == 1 && Alternatives[0].Count == 0;

    /// <summary>Creates a grant from matchers, normalising it.</summary>
    /// <param name="alternatives">At least one alternative.</param>
    /// <exception cref="ArgumentException">No alternatives.</exception>
    public static Grant Create(IEnumerable<IEnumerable<LabelMatcher>> alternatives)
    {
        ArgumentNullException.ThrowIfNull(alternatives);
        var list = alternatives.Select(a => (IReadOnlyList<LabelMatcher>)[.. a]).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("a grant needs at least one alternative ([[]] is unrestricted)", nameof(alternatives));
        }
        return new Grant(GrantNormalizer.Normalize(list));
    }

    /// <summary>
    /// Parses a grant from matcher strings such as <c>env="prod"</c>, <c>team=~"a|b"</c> or <c>tier!="free"</c>.
    /// </summary>
    /// <param name="alternatives">The alternatives, each a list of matcher strings.</param>
    /// <param name="grant">The grant on success.</param>
    /// <param name="error">Which matcher is invalid and why, on failure.</param>
    public static bool TryParse(IEnumerable<IEnumerable<string>> alternatives, [NotNullWhen(true)] out Grant? grant, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(alternatives);
        var parsed = new List<IReadOnlyList<LabelMatcher>>();
        var index = 0;
        foreach (var alternative in alternatives)
        {
            if (alternative is null)
            {
                grant = null;
                error = $"alternative {index}: null";
                return false;
            }
            var matchers = new List<LabelMatcher>();
            foreach (var text in alternative)
            {
                if (!TryParseMatcher(text, out var matcher, out error))
                {
                    grant = null;
                    error = $"alternative {index}: {error}";
                    return false;
                }
                matchers.Add(matcher);
            }
            parsed.Add(matchers);
            index++;
        }
        if (parsed.Count == 0)
        {
            grant = null;
            error = "a grant needs at least one alternative ([[]] is unrestricted)";
            return false;
        }
        grant = new Grant(GrantNormalizer.Normalize(parsed));
        error = null;
        return true;
    }

    /// <summary>Parses a grant from matcher strings; see <see cref="TryParse"/>.</summary>
    /// <param name="alternatives">The alternatives, each a list of matcher strings.</param>
    /// <exception cref="FormatException">A matcher is invalid or there are no alternatives.</exception>
    public static Grant Parse(IEnumerable<IEnumerable<string>> alternatives) =>
        TryParse(alternatives, out var grant, out var error) ? grant : throw new FormatException(error);

    /// <summary>The grant of an allowing <see cref="TenantDecision"/>.</summary>
    /// <param name="decision">An allowing decision.</param>
    /// <param name="grant">The grant on success.</param>
    /// <param name="error">Why the decision carries no usable grant (denied, no alternatives, an invalid matcher).</param>
    public static bool TryFromDecision(TenantDecision decision, [NotNullWhen(true)] out Grant? grant, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!decision.Allow)
        {
            grant = null;
            error = "access denied";
            return false;
        }
        return TryParse(decision.Filters, out grant, out error);
    }

    /// <summary>
    /// Whether a label set satisfies the grant (some alternative's matchers all match; an absent label is <c>""</c>).
    /// Used to filter rules and alerts by their labels.
    /// </summary>
    /// <param name="labels">The labels, <c>__name__</c> included when there is a metric name.</param>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var alternative in Alternatives)
        {
            var all = true;
            foreach (var m in alternative)
            {
                if (!m.Matches(labels.TryGetValue(m.Name, out var v) ? v : ""))
                {
                    all = false;
                    break;
                }
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The grant as matcher strings, e.g. <c>[["env=\"prod\""]]</c>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ToStrings() =>
        [.. Alternatives.Select(a => (IReadOnlyList<string>)[.. a.Select(m => m.ToString())])];

    /// <summary>The grant as JSON-like text, e.g. <c>[[env="prod"], [team=~"a|b"]]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", Alternatives.Select(a => "[" + string.Join(", ", a) + "]")) + "]";

    private static bool TryParseMatcher(string? text, [NotNullWhen(true)] out LabelMatcher? matcher, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            matcher = null;
            error = "empty label matcher";
            return false;
        }
        if (PromQLParser.TryParseMatcher(text, out var parsed, out var parseError) && parsed is not null)
        {
            matcher = parsed;
            error = null;
            return true;
        }
        matcher = null;
        error = $"invalid label matcher {text}: {parseError}";
        return false;
    }
}
