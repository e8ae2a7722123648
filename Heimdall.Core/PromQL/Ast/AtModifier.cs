namespace Heimdall.Core.PromQL.Ast;

/// <summary>The <c>@</c> modifier: a fixed time, or the query's <c>start()</c> / <c>end()</c>.</summary>
/// <param name="Kind">Which form.</param>
/// <param name="TimestampMilliseconds">Unix time in milliseconds for <see cref="AtModifierKind.Timestamp"/>; 0 otherwise.</param>
public sealed record AtModifier(AtModifierKind Kind, long TimestampMilliseconds)
{
    /// <summary><c>@ start()</c>.</summary>
    public static AtModifier Start { get; } = new(AtModifierKind.Start, 0);

    /// <summary><c>@ end()</c>.</summary>
    public static AtModifier End { get; } = new(AtModifierKind.End, 0);

    /// <summary><c>@ &lt;seconds&gt;</c> for a Unix time in milliseconds.</summary>
    public static AtModifier At(long timestampMilliseconds) => new(AtModifierKind.Timestamp, timestampMilliseconds);
}
