using Heimdall.Core.PromQL.Printing;

namespace Heimdall.Core.PromQL.Ast;

/// <summary>
/// A PromQL expression: the closed set of immutable node types produced by <see cref="Parser.PromQLParser"/>.
/// Equality is structural and ignores <see cref="Position"/>, so a parsed, printed and re-parsed tree equals the original.
/// <see cref="ToString"/> prints Prometheus' canonical single-line form, <see cref="Pretty"/> its multi-line form.
/// </summary>
public abstract record Expr
{
    private protected Expr()
    {
    }

    /// <summary>Where the expression occurs in the parsed text (default for constructed nodes).</summary>
    public PositionRange Position { get; init; }

    /// <summary>The type the expression evaluates to.</summary>
    public abstract PromQLValueType Type { get; }

    /// <summary>Calls the <paramref name="visitor"/> method for this node type.</summary>
    /// <typeparam name="TResult">The visitor's result.</typeparam>
    public abstract TResult Accept<TResult>(PromQLVisitor<TResult> visitor);

    /// <summary>Structural equality: node type and contents, positions ignored.</summary>
    public virtual bool Equals(Expr? other) => other is not null && EqualityContract == other.EqualityContract;

    /// <inheritdoc/>
    public override int GetHashCode() => EqualityContract.GetHashCode();

    /// <summary>Prometheus' canonical single-line form (what <c>format_query</c> prints for short queries).</summary>
    public sealed override string ToString() => PromQLPrinter.Print(this);

    /// <summary>Prometheus' pretty form: expressions longer than 100 characters split over indented lines.</summary>
    public string Pretty() => PromQLPrettyPrinter.Print(this);
}
