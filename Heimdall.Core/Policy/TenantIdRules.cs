using System.Text;

namespace Heimdall.Core.Policy;

/// <summary>
/// Mimir's tenant-ID rules (DESIGN §2): at most 150 bytes of <c>[a-zA-Z0-9!-_.*'()]</c>, not <c>.</c> or
/// <c>..</c>. <c>|</c> separates tenants in <c>X-Scope-OrgID</c> and is therefore never part of an ID.
/// </summary>
public static class TenantIdRules
{
    /// <summary>The longest tenant ID Mimir accepts, in bytes.</summary>
    public const int MaxLength = 150;

    /// <summary>Null when <paramref name="id"/> is a valid tenant ID, else why not.</summary>
    public static string? Validate(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "tenant ID must not be empty";
        }
        if (Encoding.UTF8.GetByteCount(id) > MaxLength)
        {
            return $"tenant ID is longer than {MaxLength} bytes";
        }
        if (id is "." or "..")
        {
            return $"tenant ID must not be \"{id}\" (not allowed by Mimir)";
        }
        foreach (var c in id)
        {
            if (!IsAllowed(c))
            {
                return c == '|'
                    ? "tenant ID must not contain '|' (it separates tenants in X-Scope-OrgID)"
                    : $"tenant ID contains the unsupported character {Describe(c)}; allowed are a-z A-Z 0-9 ! - _ . * ' ( )";
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="id"/> is a valid tenant ID.</summary>
    public static bool IsValid(string? id) => Validate(id) is null;

    private static bool IsAllowed(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '!' or '-' or '_' or '.' or '*' or '\'' or '(' or ')';

    private static string Describe(char c) => char.IsControl(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
