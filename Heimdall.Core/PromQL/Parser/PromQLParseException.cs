namespace Heimdall.Core.PromQL.Parser;

/// <summary>The only exception <see cref="PromQLParser"/> throws for bad input. <see cref="Exception.Message"/> is <c>line:col: parse error: message</c>.</summary>
public sealed class PromQLParseException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    /// <param name="error">The error.</param>
    public PromQLParseException(PromQLParseError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString()) => Error = error;

    /// <summary>The error.</summary>
    public PromQLParseError Error { get; }
}
