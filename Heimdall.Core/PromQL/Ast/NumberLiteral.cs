namespace Heimdall.Core.PromQL.Ast;

/// <summary>A number: <c>1</c>, <c>-2.5e3</c>, <c>0x1f</c>, <c>Inf</c>, <c>NaN</c>.</summary>
/// <param name="Value">The value.</param>
public sealed record NumberLiteral(double Value) : Expr
{
    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.Scalar;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(PromQLVisitor<TResult> visitor) => visitor.VisitNumberLiteral(this);

}
