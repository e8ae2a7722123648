namespace Heimdall.Core.PromQL.Ast;

/// <summary>A range vector selector <c>metric{...}[5m]</c>; <c>offset</c> and <c>@</c> live on the inner selector, as in Prometheus.</summary>
/// <param name="VectorSelector">The selector.</param>
/// <param name="Range">The range (positive, millisecond precision).</param>
public sealed record MatrixSelector(VectorSelector VectorSelector, TimeSpan Range) : Expr
{
    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.RangeVector;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(PromQLVisitor<TResult> visitor) => visitor.VisitMatrixSelector(this);
}
