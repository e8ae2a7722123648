using Heimdall.Core.PromQL.Functions;

namespace Heimdall.Core.PromQL.Ast;

/// <summary>A function call <c>name(args...)</c>.</summary>
/// <param name="Function">The function (see <see cref="PromQLFunctions"/>).</param>
/// <param name="Args">The arguments.</param>
public sealed record Call(PromQLFunction Function, EquatableArray<Expr> Args) : Expr
{
    /// <inheritdoc/>
    public override PromQLValueType Type => Function.ReturnType;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(PromQLVisitor<TResult> visitor) => visitor.VisitCall(this);
}
