namespace Heimdall.Core.PromQL.Ast;

/// <summary>
/// An instant vector selector: <c>metric{label="value"} @ 123 offset 5m</c>.
/// As in Prometheus, <see cref="LabelMatchers"/> holds every matcher, including <c>__name__="metric"</c> when a
/// metric name is written before the braces; the printer folds that matcher back into the name.
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
}
