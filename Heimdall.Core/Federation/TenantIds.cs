namespace Heimdall.Core.Federation;

/// <summary>
/// Mimir's tenant-ID rules (DESIGN §2): at most 150 bytes of <c>a-z A-Z 0-9 ! - _ . * ' ( )</c>, and neither
/// <c>.</c> nor <c>..</c>. The federation separator <c>|</c> is therefore never part of an ID.
/// </summary>
public static class TenantIds
{
    /// <summary>The longest tenant ID Mimir accepts, in bytes (all valid characters are ASCII).</summary>
    public const int MaxLength = 150;

    /// <summary>Returns null when <paramref name="id"/> is valid, else why it is not (safe to show).</summary>
    public static string? Validate(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "tenant ID is empty";
        }
        if (id.Length > MaxLength)
        {
            return $"tenant ID is longer than {MaxLength} bytes";
        }
        if (id is "." or "..")
        {
            return $"tenant ID '{id}' is not allowed";
        }
        foreach (var c in id)
        {
            if (!IsValidChar(c))
            {
                return c is >= ' ' and <= '~'
                    ? $"tenant ID contains unsupported character '{c}'"
                    : $"tenant ID contains unsupported character U+{(int)c:X4}";
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="c"/> may appear in a tenant ID.</summary>
    public static bool IsValidChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '!' or '-' or '_' or '.' or '*' or '\'' or '(' or ')';
}
