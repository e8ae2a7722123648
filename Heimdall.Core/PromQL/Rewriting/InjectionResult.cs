using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>The outcome of <see cref="LabelInjector.Inject(Expr, Grant, InjectionOptions?)"/>: the rewritten query, or why there is none.</summary>
public sealed record InjectionResult
{
    /// <summary>The rewritten expression on success.</summary>
    public Expr? Expr { get; init; }

    /// <summary>What went wrong; <see langword="null"/> on success.</summary>
    public string? Error { get; init; }

    /// <summary>The kind of error (<see cref="InjectionErrorKind.None"/> on success).</summary>
    public InjectionErrorKind ErrorKind { get; init; }

    /// <summary>True when <see cref="Expr"/> holds the rewritten query.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A success.</summary>
    /// <param name="expr">The rewritten expression.</param>
    public static InjectionResult Success(Expr expr) => new() { Expr = expr };

    /// <summary>A failure.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="error">The message.</param>
    public static InjectionResult Failure(InjectionErrorKind kind, string error) => new() { ErrorKind = kind, Error = error };
}
