namespace Heimdall.Core.PromQL.Printing;

/// <summary>Prometheus' <c>model.Duration.String()</c>: <c>1h30m</c>, <c>1w</c>, <c>90d</c>, <c>0s</c>.</summary>
internal static class DurationFormatter
{
    private const long Day = 24L * 3600 * 1000;

    public static void Append(CharBuffer sb, TimeSpan duration)
    {
        var ms = (long)duration.TotalMilliseconds;
        if (ms == 0)
        {
            sb.Append("0s");
            return;
        }
        Unit(sb, ref ms, 'y', '\0', 365 * Day, exact: true);
        Unit(sb, ref ms, 'w', '\0', 7 * Day, exact: true);
        Unit(sb, ref ms, 'd', '\0', Day, exact: false);
        Unit(sb, ref ms, 'h', '\0', 3600L * 1000, exact: false);
        Unit(sb, ref ms, 'm', '\0', 60L * 1000, exact: false);
        Unit(sb, ref ms, 's', '\0', 1000, exact: false);
        Unit(sb, ref ms, 'm', 's', 1, exact: false);
    }

    public static string Format(TimeSpan duration)
    {
        var sb = new CharBuffer();
        Append(sb, duration);
        return sb.ToString();
    }

    private static void Unit(CharBuffer sb, ref long ms, char unit, char unit2, long mult, bool exact)
    {
        if (exact && ms % mult != 0)
        {
            return;
        }
        var v = ms / mult;
        if (v > 0)
        {
            sb.Append(v);
            sb.Append(unit);
            if (unit2 != '\0')
            {
                sb.Append(unit2);
            }
            ms -= v * mult;
        }
    }
}
