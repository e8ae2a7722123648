using System.Globalization;

namespace Heimdall.Core.PromQL.Printing;

/// <summary>
/// Go's <c>fmt.Sprint(float64)</c> as Prometheus 2.x prints numbers: the shortest round-trip digits, in <c>%e</c> form
/// (<c>1e+06</c>, <c>1e-05</c>) when the decimal exponent is below -4 or at least 6, else plain (<c>100000</c>, <c>0.0001</c>).
/// </summary>
internal static class GoFloat
{
    public static void Append(CharBuffer sb, double value)
    {
        if (double.IsNaN(value))
        {
            sb.Append("NaN");
            return;
        }
        if (double.IsInfinity(value))
        {
            sb.Append(value > 0 ? "+Inf" : "-Inf");
            return;
        }
        if (value == Math.Floor(value) && Math.Abs(value) < 1e6 && !(value == 0 && double.IsNegative(value)))
        {
            // Integers below 10^6 print as themselves in both %v and strconv's shortest form.
            sb.Append((long)value);
            return;
        }
        Span<char> shortest = stackalloc char[40];
        value.TryFormat(shortest, out var m, "R", CultureInfo.InvariantCulture);
        Span<char> digits = stackalloc char[32];
        var nd = 0;
        var negative = false;
        var exp = 0;
        var dotSeen = false;
        var intDigits = 0;
        for (var i = 0; i < m; i++)
        {
            var c = shortest[i];
            if (c == '-')
            {
                negative = true;
            }
            else if (c == '.')
            {
                dotSeen = true;
            }
            else if (c is 'E' or 'e')
            {
                exp = int.Parse(shortest[(i + 1)..m], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits[nd++] = c;
                if (!dotSeen)
                {
                    intDigits++;
                }
            }
        }
        // value = 0.d1d2...dn × 10^dp
        var dp = intDigits + exp;
        var lead = 0;
        while (lead < nd - 1 && digits[lead] == '0')
        {
            lead++;
            dp--;
        }
        digits = digits[lead..nd];
        nd -= lead;
        while (nd > 1 && digits[nd - 1] == '0')
        {
            nd--;
        }
        if (negative)
        {
            sb.Append('-');
        }
        if (nd == 1 && digits[0] == '0')
        {
            sb.Append('0');
            return;
        }
        var x = dp - 1;
        if (x < -4 || x >= 6)
        {
            sb.Append(digits[0]);
            if (nd > 1)
            {
                sb.Append('.');
                sb.Append(digits[1..nd]);
            }
            sb.Append('e');
            sb.Append(x < 0 ? '-' : '+');
            var ax = Math.Abs(x);
            if (ax < 10)
            {
                sb.Append('0');
            }
            Span<char> e = stackalloc char[4];
            ax.TryFormat(e, out var el, default, CultureInfo.InvariantCulture);
            sb.Append(e[..el]);
            return;
        }
        if (dp <= 0)
        {
            sb.Append("0.");
            for (var z = 0; z < -dp; z++)
            {
                sb.Append('0');
            }
            sb.Append(digits[..nd]);
        }
        else if (dp >= nd)
        {
            sb.Append(digits[..nd]);
            for (var z = nd; z < dp; z++)
            {
                sb.Append('0');
            }
        }
        else
        {
            sb.Append(digits[..dp]);
            sb.Append('.');
            sb.Append(digits[dp..nd]);
        }
    }
}
