namespace Heimdall.Core.Federation;

/// <summary>
/// Orders label names, values and label sets as Prometheus' <c>labels.Compare</c> does: byte-wise on UTF-8,
/// label by label (name, then value), a prefix first.
/// </summary>
internal static class LabelSetComparer
{
    /// <summary>Compares two label sets, each sorted by name.</summary>
    public static int Compare(ReadOnlySpan<Label> a, ReadOnlySpan<Label> b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var c = a[i].Name.Span.SequenceCompareTo(b[i].Name.Span);
            if (c != 0)
            {
                return c;
            }
            c = a[i].Value.Span.SequenceCompareTo(b[i].Value.Span);
            if (c != 0)
            {
                return c;
            }
        }
        return a.Length - b.Length;
    }

    /// <summary>Sorts a label set by name (insertion sort: label sets are short and nearly sorted).</summary>
    public static void SortByName(Span<Label> labels)
    {
        for (var i = 1; i < labels.Length; i++)
        {
            var item = labels[i];
            var j = i - 1;
            while (j >= 0 && labels[j].Name.Span.SequenceCompareTo(item.Name.Span) > 0)
            {
                labels[j + 1] = labels[j];
                j--;
            }
            labels[j + 1] = item;
        }
    }

    /// <summary>Compares strings by their UTF-8 bytes (code-point order), as Go sorts strings.</summary>
    public static StringComparer Utf8 { get; } = new Utf8OrderComparer();

    private sealed class Utf8OrderComparer : StringComparer
    {
        public override int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }
            var ex = x.EnumerateRunes();
            var ey = y.EnumerateRunes();
            while (true)
            {
                var hx = ex.MoveNext();
                var hy = ey.MoveNext();
                if (!hx || !hy)
                {
                    return hx ? 1 : hy ? -1 : 0;
                }
                var c = ex.Current.Value.CompareTo(ey.Current.Value);
                if (c != 0)
                {
                    return c;
                }
            }
        }

        public override bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public override int GetHashCode(string obj) => StringComparer.Ordinal.GetHashCode(obj);
    }
}
