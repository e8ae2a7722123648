namespace Heimdall.Core.PromQL.Ast;

/// <summary>An aggregation <c>op [by|without (labels)] ([param, ] expr)</c>.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Expr">The aggregated expression.</param>
/// <param name="Param">The parameter of <c>topk</c>, <c>bottomk</c>, <c>quantile</c>, <c>count_values</c>, <c>limitk</c>, <c>limit_ratio</c>; else <see langword="null"/>.</param>
/// <param name="Grouping">The <c>by</c> / <c>without</c> labels.</param>
/// <param name="Without"><see langword="true"/> for <c>without</c>.</param>
public sealed record AggregateExpr(AggregationOperator Operator, Expr Expr, Expr? Param, EquatableArray<string> Grouping, bool Without) : Expr
{
    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.InstantVector;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(PromQLVisitor<TResult> visitor) => visitor.VisitAggregate(this);
}
