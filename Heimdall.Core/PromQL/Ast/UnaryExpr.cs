namespace Heimdall.Core.PromQL.Ast;

/// <summary>A unary expression <c>-expr</c> / <c>+expr</c> (a sign before a number literal is folded into the literal, as in Prometheus).</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Expr">The operand.</param>
public sealed record UnaryExpr(UnaryOperator Operator, Expr Expr) : Expr
{
    /// <inheritdoc/>
    public override PromQLValueType Type => Expr.Type;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(PromQLVisitor<TResult> visitor) => visitor.VisitUnary(this);
}
