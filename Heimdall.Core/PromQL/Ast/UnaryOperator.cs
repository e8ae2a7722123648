namespace Heimdall.Core.PromQL.Ast;

/// <summary>Unary operators.</summary>
public enum UnaryOperator
{
    /// <summary><c>-</c>.</summary>
    Negate,

    /// <summary><c>+</c>.</summary>
    Plus,
}
