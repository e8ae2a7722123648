namespace Heimdall.Core.PromQL.Ast;

/// <summary>Factory for <see cref="EquatableArray{T}"/> (collection expressions <c>[a, b]</c> use it).</summary>
public static class EquatableArray
{
    /// <summary>Copies <paramref name="items"/> into a new array.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements.</param>
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray(), noCopy: true);
}
