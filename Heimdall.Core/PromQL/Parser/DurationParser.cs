namespace Heimdall.Core.PromQL.Parser;

/// <summary>Prometheus' <c>model.ParseDuration</c>: <c>1y2w3d4h5m6s7ms</c>, units in that order, each at most once.</summary>
internal static class DurationParser
{
    private static readonly (string Unit, long Millis)[] s_units =
    [
        ("y", 365L * 24 * 3600 * 1000),
        ("w", 7L * 24 * 3600 * 1000),
        ("d", 24L * 3600 * 1000),
        ("h", 3600L * 1000),
        ("m", 60L * 1000),
        ("s", 1000L),
        ("ms", 1L),
    ];

    public static bool TryParse(ReadOnlySpan<char> text, out long milliseconds)
    {
        milliseconds = 0;
        if (text.IsEmpty)
        {
            return false;
        }
        var nextUnit = 0;
        var i = 0;
        while (i < text.Length)
        {
            var startDigits = i;
            while (i < text.Length && text[i] is >= '0' and <= '9')
            {
                i++;
            }
            if (i == startDigits)
            {
                return false;
            }
            var digits = text[startDigits..i];
            var startUnit = i;
            while (i < text.Length && text[i] is not (>= '0' and <= '9'))
            {
                i++;
            }
            var unit = text[startUnit..i];
            var found = -1;
            for (var u = nextUnit; u < s_units.Length; u++)
            {
                if (unit.SequenceEqual(s_units[u].Unit))
                {
                    found = u;
                    break;
                }
            }
            if (found < 0)
            {
                return false;
            }
            nextUnit = found + 1;
            if (!long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }
            try
            {
                milliseconds = checked(milliseconds + checked(value * s_units[found].Millis));
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        // Go's time.Duration is nanoseconds in an int64.
        return milliseconds <= long.MaxValue / 1_000_000;
    }
}
