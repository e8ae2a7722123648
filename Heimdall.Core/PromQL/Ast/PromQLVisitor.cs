namespace Heimdall.Core.PromQL.Ast;

/// <summary>
/// A visitor over the closed set of expression nodes. Override the <c>Visit*</c> methods you need;
/// the others call <see cref="DefaultVisit"/>.
/// </summary>
/// <typeparam name="TResult">The result of visiting a node.</typeparam>
public abstract class PromQLVisitor<TResult>
{
    /// <summary>Dispatches to the method for the node's type.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult Visit(Expr node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Accept(this);
    }

    /// <summary>Called for nodes whose method is not overridden.</summary>
    /// <param name="node">The node.</param>
    protected abstract TResult DefaultVisit(Expr node);

    /// <summary>Visits a <see cref="NumberLiteral"/>.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult VisitNumberLiteral(NumberLiteral node) => DefaultVisit(node);

    /// <summary>Visits a <see cref="StringLiteral"/>.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult VisitStringLiteral(StringLiteral node) => DefaultVisit(node);

    /// <summary>Visits a <see cref="VectorSelector"/>.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult VisitVectorSelector(VectorSelector node) => DefaultVisit(node);

    /// <summary>Visits a <see cref="MatrixSelector"/>.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult VisitMatrixSelector(MatrixSelector node) => DefaultVisit(node);

    /// <summary>Visits a <see cref="SubqueryExpr"/>.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult VisitSubquery(SubqueryExpr node) => DefaultVisit(node);

    /// <summary>Visits a <see cref="ParenExpr"/>.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult VisitParen(ParenExpr node) => DefaultVisit(node);

    /// <summary>Visits a <see cref="UnaryExpr"/>.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult VisitUnary(UnaryExpr node) => DefaultVisit(node);

    /// <summary>Visits a <see cref="BinaryExpr"/>.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult VisitBinary(BinaryExpr node) => DefaultVisit(node);

    /// <summary>Visits an <see cref="AggregateExpr"/>.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult VisitAggregate(AggregateExpr node) => DefaultVisit(node);

    /// <summary>Visits a <see cref="Call"/>.</summary>
    /// <param name="node">The node.</param>
    public virtual TResult VisitCall(Call node) => DefaultVisit(node);
}
