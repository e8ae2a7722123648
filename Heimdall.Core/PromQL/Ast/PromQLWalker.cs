using System.Runtime.CompilerServices;

namespace Heimdall.Core.PromQL.Ast;

/// <summary>A visitor that walks the whole tree depth-first, children left to right; override methods to observe nodes (call <c>base</c> to descend).</summary>
public abstract class PromQLWalker : PromQLVisitor<bool>
{
    /// <summary>Walks <paramref name="node"/> and its descendants.</summary>
    /// <param name="node">The root.</param>
    public void Walk(Expr node) => Visit(node);

    /// <inheritdoc/>
    public override bool Visit(Expr node)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return base.Visit(node);
    }

    /// <summary>Leaves are done.</summary>
    /// <param name="node">The node.</param>
    protected override bool DefaultVisit(Expr node) => true;

    /// <inheritdoc/>
    public override bool VisitMatrixSelector(MatrixSelector node) => Visit(node.VectorSelector);

    /// <inheritdoc/>
    public override bool VisitSubquery(SubqueryExpr node) => Visit(node.Expr);

    /// <inheritdoc/>
    public override bool VisitParen(ParenExpr node) => Visit(node.Expr);

    /// <inheritdoc/>
    public override bool VisitUnary(UnaryExpr node) => Visit(node.Expr);

    /// <inheritdoc/>
    public override bool VisitBinary(BinaryExpr node)
    {
        Visit(node.Lhs);
        return Visit(node.Rhs);
    }

    /// <inheritdoc/>
    public override bool VisitAggregate(AggregateExpr node)
    {
        if (node.Param is not null)
        {
            Visit(node.Param);
        }
        return Visit(node.Expr);
    }

    /// <inheritdoc/>
    public override bool VisitCall(Call node)
    {
        foreach (var arg in node.Args)
        {
            Visit(arg);
        }
        return true;
    }
}
