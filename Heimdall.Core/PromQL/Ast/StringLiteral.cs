namespace Heimdall.Core.PromQL.Ast;

/// <summary>A string literal (unescaped value).</summary>
/// <param name="Value">The value.</param>
public sealed record StringLiteral(string Value) : Expr
{
    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.String;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(PromQLVisitor<TResult> visitor) => visitor.VisitStringLiteral(this);
}
