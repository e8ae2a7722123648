using System.Globalization;

namespace Heimdall.Core.PromQL.Parser;

/// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c> and <c>strconv.ParseFloat(s, 64)</c> for the number forms the lexer produces.</summary>
internal static class NumberParser
{
    public static bool TryParseInt(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.Length > 2 && text[0] == '0' && (text[1] is 'x' or 'X'))
        {
            return long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && value >= 0 &&
                text.Length - 2 <= 16 && (text.Length - 2 < 16 || text[2] <= '7');
        }
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        if (text.Length > 1 && text[0] == '0')
        {
            ulong acc = 0;
            foreach (var c in text[1..])
            {
                if (c > '7')
                {
                    return false;
                }
                acc = (acc * 8) + (ulong)(c - '0');
                if (acc > long.MaxValue)
                {
                    return false;
                }
            }
            value = (long)acc;
            return true;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseFloat(ReadOnlySpan<char> text, out double value, out string problem)
    {
        problem = "invalid syntax";
        if (text.Length > 1 && text[0] == '0' && (text[1] is 'x' or 'X'))
        {
            value = 0;
            return false;
        }
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }
        if (double.IsInfinity(value))
        {
            problem = "value out of range";
            return false;
        }
        return true;
    }
}
