namespace Heimdall.Core.PromQL.Ast;

/// <summary>A parenthesized expression.</summary>
/// <param name="Expr">The inner expression.</param>
public sealed record ParenExpr(Expr Expr) : Expr
{
    /// <inheritdoc/>
    public override PromQLValueType Type => Expr.Type;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(PromQLVisitor<TResult> visitor) => visitor.VisitParen(this);
}
