namespace Heimdall.Core.PromQL.Ast;

/// <summary>
/// An instant vector selector: <c>metric{label="value"} @ 123 offset 5m</c>.
/// As in Prometheus, <see cref="LabelMatchers"/> holds every matcher, including <c>__name__="metric"</c> when a
/// metric name is written before the braces; the printer folds that matcher back into the name.
/// Equality ignores the order of <see cref="LabelMatchers"/> (the printer sorts them).
/// </summary>
/// <param name="Name">The metric name written before the braces, or <c>""</c>.</param>
/// <param name="LabelMatchers">All matchers (at least one that does not match the empty string, or a name).</param>
public sealed record VectorSelector(string Name, EquatableArray<LabelMatcher> LabelMatchers) : Expr
{
    /// <summary>The <c>offset</c> (negative for <c>offset -5m</c>); <see cref="TimeSpan.Zero"/> when absent.</summary>
    public TimeSpan Offset { get; init; }

    /// <summary>The <c>@</c> modifier, or <see langword="null"/>.</summary>
    public AtModifier? At { get; init; }

    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.InstantVector;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(PromQLVisitor<TResult> visitor) => visitor.VisitVectorSelector(this);

    /// <summary>Same name, modifiers and matchers (in any order).</summary>
    /// <param name="other">The other selector.</param>
    public bool Equals(VectorSelector? other)
    {
        if (other is null || !base.Equals(other) || !string.Equals(Name, other.Name, StringComparison.Ordinal) ||
            Offset != other.Offset || !Equals(At, other.At) || LabelMatchers.Count != other.LabelMatchers.Count)
        {
            return false;
        }
        if (LabelMatchers == other.LabelMatchers)
        {
            return true;
        }
        foreach (var m in LabelMatchers)
        {
            if (Count(LabelMatchers, m) != Count(other.LabelMatchers, m))
            {
                return false;
            }
        }
        return true;
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var matchers = 0;
        foreach (var m in LabelMatchers)
        {
            matchers += m.GetHashCode();
        }
        return HashCode.Combine(Name, Offset, At, matchers);
    }

    private static int Count(EquatableArray<LabelMatcher> matchers, LabelMatcher matcher)
    {
        var n = 0;
        foreach (var m in matchers)
        {
            if (m.Equals(matcher))
            {
                n++;
            }
        }
        return n;
    }
}
