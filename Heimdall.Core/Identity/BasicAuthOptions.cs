namespace Heimdall.Core.Identity;

/// <summary>Basic authentication from a users file (YAML section <c>basic_auth</c>), e.g. for remote-write clients.</summary>
public sealed record BasicAuthOptions
{
    /// <summary>
    /// YAML <c>basic_auth.users_file</c>: a YAML file
    /// <c>users: [{name: prom, password_hash: "$2b$...", groups: [writers]}]</c>, reloaded when it changes.
    /// Hashes are bcrypt (<c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c>) or <c>pbkdf2-sha256$iterations$salt$hash</c>
    /// (also <c>pbkdf2-sha512</c>; salt and hash in base64).
    /// </summary>
    public string? UsersFile { get; init; }
}
