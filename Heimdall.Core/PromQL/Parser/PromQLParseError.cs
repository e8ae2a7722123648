using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Parser;

/// <summary>A parse or type-check error with Prometheus' position and wording.</summary>
/// <param name="Position">Where in the query the error is.</param>
/// <param name="Line">1-based line of <see cref="PositionRange.Start"/>.</param>
/// <param name="Column">1-based column (in characters) of <see cref="PositionRange.Start"/>.</param>
/// <param name="Message">The message without position, e.g. <c>unexpected end of input</c>.</param>
public sealed record PromQLParseError(PositionRange Position, int Line, int Column, string Message)
{
    /// <summary>Prometheus' form: <c>line:col: parse error: message</c>.</summary>
    public override string ToString() => $"{Line}:{Column}: parse error: {Message}";
}
