namespace Heimdall.Core.Federation;

/// <summary>One label as unescaped UTF-8, usually a slice of an upstream response body.</summary>
internal readonly record struct Label(ReadOnlyMemory<byte> Name, ReadOnlyMemory<byte> Value);
