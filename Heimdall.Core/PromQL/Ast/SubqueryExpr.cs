namespace Heimdall.Core.PromQL.Ast;

/// <summary>A subquery <c>expr[range:step]</c> or <c>expr[range:]</c> with optional <c>offset</c> and <c>@</c>.</summary>
/// <param name="Expr">The instant-vector expression evaluated at each step.</param>
/// <param name="Range">The range.</param>
/// <param name="Step">The step; <see cref="TimeSpan.Zero"/> for the default (<c>[range:]</c>).</param>
public sealed record SubqueryExpr(Expr Expr, TimeSpan Range, TimeSpan Step) : Expr
{
    /// <summary>The <c>offset</c> (negative for <c>offset -5m</c>); <see cref="TimeSpan.Zero"/> when absent.</summary>
    public TimeSpan Offset { get; init; }

    /// <summary>The <c>@</c> modifier, or <see langword="null"/>.</summary>
    public AtModifier? At { get; init; }

    /// <inheritdoc/>
    public override PromQLValueType Type => PromQLValueType.RangeVector;

    /// <inheritdoc/>
    public override TResult Accept<TResult>(PromQLVisitor<TResult> visitor) => visitor.VisitSubquery(this);
}
