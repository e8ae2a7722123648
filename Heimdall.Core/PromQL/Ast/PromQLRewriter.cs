using System.Runtime.CompilerServices;

namespace Heimdall.Core.PromQL.Ast;

/// <summary>
/// A rewriting visitor: every method rebuilds its node from the rewritten children and returns the same
/// instance when nothing changed. Override a method (and call <c>base</c> to keep descending) to replace nodes.
/// </summary>
public abstract class PromQLRewriter : PromQLVisitor<Expr>
{
    /// <inheritdoc/>
    public override Expr Visit(Expr node)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return base.Visit(node);
    }

    /// <summary>Leaves unknown nodes unchanged (all node types are handled below).</summary>
    /// <param name="node">The node.</param>
    protected override Expr DefaultVisit(Expr node) => node;

    /// <inheritdoc/>
    public override Expr VisitNumberLiteral(NumberLiteral node) => node;

    /// <inheritdoc/>
    public override Expr VisitStringLiteral(StringLiteral node) => node;

    /// <inheritdoc/>
    public override Expr VisitVectorSelector(VectorSelector node) => node;

    /// <summary>Rewrites the inner selector; if the result is no longer a <see cref="VectorSelector"/> an <see cref="InvalidOperationException"/> is thrown (override to handle it).</summary>
    /// <param name="node">The node.</param>
    public override Expr VisitMatrixSelector(MatrixSelector node)
    {
        var inner = Visit(node.VectorSelector);
        if (ReferenceEquals(inner, node.VectorSelector))
        {
            return node;
        }
        return inner is VectorSelector vs
            ? node with { VectorSelector = vs }
            : throw new InvalidOperationException("a matrix selector's inner selector must stay a vector selector; override VisitMatrixSelector");
    }

    /// <inheritdoc/>
    public override Expr VisitSubquery(SubqueryExpr node)
    {
        var inner = Visit(node.Expr);
        return ReferenceEquals(inner, node.Expr) ? node : node with { Expr = inner };
    }

    /// <inheritdoc/>
    public override Expr VisitParen(ParenExpr node)
    {
        var inner = Visit(node.Expr);
        return ReferenceEquals(inner, node.Expr) ? node : node with { Expr = inner };
    }

    /// <inheritdoc/>
    public override Expr VisitUnary(UnaryExpr node)
    {
        var inner = Visit(node.Expr);
        return ReferenceEquals(inner, node.Expr) ? node : node with { Expr = inner };
    }

    /// <inheritdoc/>
    public override Expr VisitBinary(BinaryExpr node)
    {
        var lhs = Visit(node.Lhs);
        var rhs = Visit(node.Rhs);
        return ReferenceEquals(lhs, node.Lhs) && ReferenceEquals(rhs, node.Rhs) ? node : node with { Lhs = lhs, Rhs = rhs };
    }

    /// <inheritdoc/>
    public override Expr VisitAggregate(AggregateExpr node)
    {
        var inner = Visit(node.Expr);
        var param = node.Param is null ? null : Visit(node.Param);
        return ReferenceEquals(inner, node.Expr) && ReferenceEquals(param, node.Param) ? node : node with { Expr = inner, Param = param };
    }

    /// <inheritdoc/>
    public override Expr VisitCall(Call node)
    {
        Expr[]? changed = null;
        for (var i = 0; i < node.Args.Count; i++)
        {
            var arg = node.Args[i];
            var rewritten = Visit(arg);
            if (!ReferenceEquals(rewritten, arg) && changed is null)
            {
                changed = [.. node.Args];
            }
            if (changed is not null)
            {
                changed[i] = rewritten;
            }
        }
        return changed is null ? node : node with { Args = changed };
    }
}
