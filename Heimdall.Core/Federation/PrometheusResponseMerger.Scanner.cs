using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Heimdall.Core.Federation;

/// <summary>
/// The fast path for query results: a strict, allocation-free scanner over the <c>result</c> array that finds
/// label objects and the byte ranges of sample arrays with vectorized searches instead of walking every token.
/// Values are copied verbatim, so the scanner validates their structure (balanced brackets, well-formed strings,
/// nothing but number and literal characters between them): a malformed body is refused, never half-copied.
/// </summary>
internal sealed partial class PrometheusResponseMerger
{
    private static readonly SearchValues<byte> s_stringSpecial = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);
    private static readonly SearchValues<byte> s_structural = SearchValues.Create("\"[]{}"u8);
    private static readonly SearchValues<byte> s_between = SearchValues.Create(" \t\r\n,:0123456789+-.eEaflnrstuINfy"u8);
    private static readonly SearchValues<byte> s_literal = SearchValues.Create("0123456789+-.eEaflnrstuINfy"u8);

    /// <summary>
    /// Scans <c>"result": [...]</c> starting right after the property name at <paramref name="position"/>; on success
    /// <paramref name="position"/> is just past the closing bracket.
    /// </summary>
    private string? ScanResult(ReadOnlyMemory<byte> body, ref int position, in TenantResponse response)
    {
        var span = body.Span;
        var i = position;
        SkipWhitespace(span, ref i);
        Expect(span, ref i, (byte)':'); // Utf8JsonReader has validated (and usually consumed) the colon
        SkipWhitespace(span, ref i);
        var arrayStart = i;
        if (!Expect(span, ref i, (byte)'['))
        {
            return "result is not a list";
        }
        SkipWhitespace(span, ref i);
        if (i < span.Length && span[i] != '{' && span[i] != ']')
        {
            // A scalar or string: [t, "v"].
            i = arrayStart;
            if (SkipValue(span, ref i) is { } scalarError)
            {
                return scalarError;
            }
            var raw = body[arrayStart..i];
            if (_scalarResult is { } previous && !previous.Span.SequenceEqual(raw.Span))
            {
                _unmergeable = $"the {_resultType} result differs between tenants and cannot be merged; use the native federation strategy";
                return _unmergeable;
            }
            _scalarResult = raw;
            position = i;
            return null;
        }
        var rename = _federated && response.Tenants.Count == 1;
        ReadOnlyMemory<byte> tenantValue = rename ? System.Text.Encoding.UTF8.GetBytes(response.Tenants[0]) : default;
        var first = true;
        while (true)
        {
            SkipWhitespace(span, ref i);
            if (i >= span.Length)
            {
                return "unterminated result";
            }
            if (span[i] == ']')
            {
                i++;
                break;
            }
            if (!first && !Expect(span, ref i, (byte)','))
            {
                return "malformed result list";
            }
            first = false;
            SkipWhitespace(span, ref i);
            if (ScanSeries(body, ref i, rename, tenantValue) is { } error)
            {
                return error;
            }
        }
        position = i;
        return null;
    }

    private string? ScanSeries(ReadOnlyMemory<byte> body, ref int i, bool rename, ReadOnlyMemory<byte> tenantValue)
    {
        var span = body.Span;
        if (!Expect(span, ref i, (byte)'{'))
        {
            return "series is not an object";
        }
        var labelStart = _labels.Count;
        var propertyStart = _properties.Count;
        var sawLabels = false;
        var first = true;
        while (true)
        {
            if (NextMember(body, ref i, ref first, "malformed series", out var name, out var end) is { } memberError)
            {
                return memberError;
            }
            if (end)
            {
                break;
            }
            if (name.Span.SequenceEqual(s_metric))
            {
                sawLabels = true;
                if (ScanLabels(body, ref i, rename) is { } labelError)
                {
                    return labelError;
                }
            }
            else
            {
                var start = i;
                if (SkipValue(span, ref i) is { } valueError)
                {
                    return valueError;
                }
                _properties.Add(new RawProperty(name, body[start..i]));
            }
        }
        if (!sawLabels)
        {
            return "series has no labels";
        }
        if (rename)
        {
            _labels.Add(new Label(s_tenantLabel, tenantValue));
        }
        var count = _labels.Count - labelStart;
        LabelSetComparer.SortByName(CollectionsMarshal.AsSpan(_labels).Slice(labelStart, count));
        _series.Add(new Series(labelStart, count, propertyStart, _properties.Count - propertyStart));
        return null;
    }

    /// <summary>
    /// Steps to the next member of an object whose <c>{</c> was read: its name, with <paramref name="i"/> on its value;
    /// or <paramref name="end"/> past the closing <c>}</c>.
    /// </summary>
    private static string? NextMember(ReadOnlyMemory<byte> body, ref int i, ref bool first, string malformed,
        out ReadOnlyMemory<byte> name, out bool end)
    {
        var span = body.Span;
        name = default;
        end = false;
        SkipWhitespace(span, ref i);
        if (i < span.Length && span[i] == '}')
        {
            i++;
            end = true;
            return null;
        }
        if (!first && !Expect(span, ref i, (byte)','))
        {
            return malformed;
        }
        first = false;
        SkipWhitespace(span, ref i);
        if (ScanString(body, ref i, out name) is { } keyError)
        {
            return keyError;
        }
        SkipWhitespace(span, ref i);
        if (!Expect(span, ref i, (byte)':'))
        {
            return malformed;
        }
        SkipWhitespace(span, ref i);
        return null;
    }

    private string? ScanLabels(ReadOnlyMemory<byte> body, ref int i, bool rename)
    {
        var span = body.Span;
        if (!Expect(span, ref i, (byte)'{'))
        {
            return "labels are not an object";
        }
        var first = true;
        while (true)
        {
            if (NextMember(body, ref i, ref first, "malformed labels", out var name, out var end) is { } memberError)
            {
                return memberError;
            }
            if (end)
            {
                return null;
            }
            if (i >= span.Length || span[i] != '"')
            {
                return "a label value is not a string";
            }
            if (ScanString(body, ref i, out var value) is { } e2)
            {
                return e2;
            }
            if (rename && name.Span.SequenceEqual(s_tenantLabel))
            {
                name = s_originalTenantLabel;
            }
            _labels.Add(new Label(name, value));
        }
    }

    /// <summary>Scans a string at <paramref name="i"/>; <paramref name="value"/> is its unescaped UTF-8 (a slice unless escaped).</summary>
    private static string? ScanString(ReadOnlyMemory<byte> body, ref int i, out ReadOnlyMemory<byte> value)
    {
        value = default;
        var span = body.Span;
        if (i >= span.Length || span[i] != '"')
        {
            return "expected a string";
        }
        var quote = i;
        var start = ++i;
        var escaped = false;
        while (true)
        {
            var k = span[i..].IndexOfAny(s_stringSpecial);
            if (k < 0)
            {
                return "unterminated string";
            }
            i += k;
            if (span[i] == '"')
            {
                break;
            }
            if (span[i] != '\\' || i + 1 >= span.Length)
            {
                return "control character in string";
            }
            escaped = true;
            i += 2; // the escaped character (validated when unescaping)
        }
        var end = i++;
        if (!escaped)
        {
            value = body[start..end];
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(span[quote..i]);
            reader.Read();
            var buffer = new byte[end - start];
            value = buffer.AsMemory(0, reader.CopyString(buffer));
            return null;
        }
        catch (JsonException)
        {
            return "invalid escape in string";
        }
        catch (InvalidOperationException)
        {
            return "invalid escape in string";
        }
    }

    /// <summary>Skips one JSON value, validating its structure.</summary>
    private static string? SkipValue(ReadOnlySpan<byte> span, ref int i)
    {
        if (i >= span.Length)
        {
            return "missing value";
        }
        var c = span[i];
        if (c == '"')
        {
            return SkipString(span, ref i);
        }
        if (c is not ((byte)'[' or (byte)'{'))
        {
            var n = span[i..].IndexOfAnyExcept(s_literal);
            if (n == 0)
            {
                return "invalid value";
            }
            i = n < 0 ? span.Length : i + n;
            return null;
        }
        ulong stack = 0; // bit per level: 1 = object
        var depth = 0;
        while (true)
        {
            c = span[i];
            if (c == '"')
            {
                if (SkipString(span, ref i) is { } e)
                {
                    return e;
                }
            }
            else if (c is (byte)'[' or (byte)'{')
            {
                if (depth == 63)
                {
                    return "value nested too deeply";
                }
                stack = (stack << 1) | (c == '{' ? 1UL : 0UL);
                depth++;
                i++;
            }
            else
            {
                var isObject = (stack & 1) == 1;
                if ((c == '}') != isObject)
                {
                    return "unbalanced brackets";
                }
                stack >>= 1;
                depth--;
                i++;
                if (depth == 0)
                {
                    return null;
                }
            }
            var k = span[i..].IndexOfAny(s_structural);
            if (k < 0)
            {
                return "unterminated value";
            }
            if (span.Slice(i, k).IndexOfAnyExcept(s_between) >= 0)
            {
                return "invalid characters in value";
            }
            i += k;
        }
    }

    private static string? SkipString(ReadOnlySpan<byte> span, ref int i)
    {
        i++;
        while (true)
        {
            var k = span[i..].IndexOfAny(s_stringSpecial);
            if (k < 0)
            {
                return "unterminated string";
            }
            i += k;
            if (span[i] == '"')
            {
                i++;
                return null;
            }
            if (span[i] != '\\' || i + 1 >= span.Length || span[i + 1] is not ((byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' or (byte)'u'))
            {
                return "invalid string";
            }
            i += 2;
        }
    }

    private static void SkipWhitespace(ReadOnlySpan<byte> span, ref int i)
    {
        while (i < span.Length && span[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }
    }

    private static bool Expect(ReadOnlySpan<byte> span, ref int i, byte c)
    {
        if (i < span.Length && span[i] == c)
        {
            i++;
            return true;
        }
        return false;
    }
}
