namespace Heimdall.Core.PromQL.Ast;

/// <summary>A binary expression <c>lhs op [bool] [on|ignoring (...)] [group_left|group_right (...)] rhs</c>.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Lhs">The left operand.</param>
/// <param name="Rhs">The right operand.</param>
/// <param name="Matching">Vector matching when both operands are vectors, else <see langword="null"/>.</param>
/// <param name="ReturnBool">The <c>bool</c> modifier of a comparison.</param>
public sealed record BinaryExpr(BinaryOperator Operator, Expr Lhs, Expr Rhs, VectorMatching? Matching, bool ReturnBool) : Expr
{
    /// <inheritdoc/>
    public override PromQLValueType Type =>
        Lhs.Type == PromQLValueType.Scalar && Rhs.Type == PromQLValueType.Scalar ? PromQLValueType.Scalar : PromQLValueType.InstantVector;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(PromQLVisitor<TResult> visitor) => visitor.VisitBinary(this);
}
