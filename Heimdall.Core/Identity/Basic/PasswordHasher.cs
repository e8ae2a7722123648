using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Heimdall.Core.Identity.Basic;

/// <summary>
/// Password hashes of the users file: bcrypt (<c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c>) and PBKDF2 as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 hash&gt;</c> (or <c>pbkdf2-sha512</c>).
/// Comparison is constant-time; plaintext is never compared.
/// </summary>
internal static class PasswordHasher
{
    /// <summary>Iterations of newly made PBKDF2-SHA256 hashes (OWASP's 2023 figure).</summary>
    public const int DefaultPbkdf2Iterations = 600_000;

    private const int MinPbkdf2Iterations = 10_000;
    private const int MaxPbkdf2Iterations = 10_000_000;

    /// <summary>A bcrypt hash of a random password: verified against for unknown users, so they take as long as known ones.</summary>
    internal static readonly string DummyHash = BCrypt.Net.BCrypt.HashPassword(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), 10);

    /// <summary>Null when <paramref name="hash"/> is in a supported format, else why not.</summary>
    public static string? Check(string? hash)
    {
        if (string.IsNullOrEmpty(hash))
        {
            return "password_hash is missing";
        }
        if (IsBcrypt(hash))
        {
            // $2b$NN$ + 22 salt characters + 31 hash characters.
            return hash.Length == 60 && int.TryParse(hash.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var cost)
                && cost is >= 4 and <= 31 && hash[6] == '$'
                ? null : "malformed bcrypt hash";
        }
        if (hash.StartsWith("pbkdf2-", StringComparison.Ordinal))
        {
            return TryParsePbkdf2(hash, out _, out _, out _, out _) ? null
                : "malformed PBKDF2 hash (pbkdf2-sha256$iterations$salt$hash, at least 10000 iterations)";
        }
        return "unsupported password hash (bcrypt $2b$... or pbkdf2-sha256$...; plaintext is not accepted)";
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="hash"/> (a format <see cref="Check"/> accepted).</summary>
    public static bool Verify(string password, string hash)
    {
        if (IsBcrypt(hash))
        {
            try
            {
                return BCrypt.Net.BCrypt.Verify(password, hash);
            }
            catch (BCrypt.Net.SaltParseException)
            {
                return false;
            }
        }
        if (!TryParsePbkdf2(hash, out var algorithm, out var iterations, out var salt, out var expected))
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, algorithm, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A new PBKDF2-SHA256 hash with a random 16-byte salt.</summary>
    public static string HashPbkdf2(string password, int iterations = DefaultPbkdf2Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>A new bcrypt hash (<c>$2b$</c>).</summary>
    public static string HashBcrypt(string password, int cost = 12) =>
        BCrypt.Net.BCrypt.HashPassword(password, cost);

    private static bool IsBcrypt(string hash) =>
        hash.StartsWith("$2a$", StringComparison.Ordinal) || hash.StartsWith("$2b$", StringComparison.Ordinal)
        || hash.StartsWith("$2y$", StringComparison.Ordinal);

    private static bool TryParsePbkdf2(string hash, out HashAlgorithmName algorithm, out int iterations, out byte[] salt, out byte[] expected)
    {
        algorithm = default;
        iterations = 0;
        salt = expected = [];
        var parts = hash.Split('$');
        if (parts.Length != 4)
        {
            return false;
        }
        algorithm = parts[0] switch
        {
            "pbkdf2-sha256" => HashAlgorithmName.SHA256,
            "pbkdf2-sha512" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (algorithm == default || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations is < MinPbkdf2Iterations or > MaxPbkdf2Iterations)
        {
            return false;
        }
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length >= 8 && expected.Length >= 16;
    }
}
