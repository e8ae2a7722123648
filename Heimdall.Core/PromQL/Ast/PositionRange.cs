namespace Heimdall.Core.PromQL.Ast;

/// <summary>A range of characters in the query text: <see cref="Start"/> inclusive, <see cref="End"/> exclusive (UTF-16 offsets).</summary>
/// <param name="Start">Offset of the first character.</param>
/// <param name="End">Offset after the last character.</param>
public readonly record struct PositionRange(int Start, int End)
{
    /// <summary>The range covering both <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static PositionRange Merge(PositionRange a, PositionRange b) => new(Math.Min(a.Start, b.Start), Math.Max(a.End, b.End));
}
