namespace Heimdall.Core.PromQL.Ast;

/// <summary>How series on both sides of a binary operator pair up.</summary>
public enum VectorMatchCardinality
{
    /// <summary>One-to-one (the default for arithmetic and comparison).</summary>
    OneToOne,

    /// <summary><c>group_left</c>.</summary>
    ManyToOne,

    /// <summary><c>group_right</c>.</summary>
    OneToMany,

    /// <summary>Set operators <c>and</c>, <c>or</c>, <c>unless</c>.</summary>
    ManyToMany,
}
