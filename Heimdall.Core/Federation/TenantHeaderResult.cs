namespace Heimdall.Core.Federation;

/// <summary>The outcome of parsing <c>X-Scope-OrgID</c>.</summary>
public sealed record TenantHeaderResult
{
    /// <summary>What the header held.</summary>
    public required TenantHeaderStatus Status { get; init; }

    /// <summary>The distinct tenants, in order of first appearance; empty unless <see cref="TenantHeaderStatus.Valid"/>.</summary>
    public IReadOnlyList<string> Tenants { get; init; } = [];

    /// <summary>Why the header was refused; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>The header was not sent: tenants are resolved from the caller's grants.</summary>
    public static TenantHeaderResult Absent { get; } = new() { Status = TenantHeaderStatus.Absent };

    /// <summary>A valid header.</summary>
    public static TenantHeaderResult Success(IReadOnlyList<string> tenants) => new() { Status = TenantHeaderStatus.Valid, Tenants = tenants };

    /// <summary>A malformed header (400).</summary>
    public static TenantHeaderResult Invalid(string error) => new() { Status = TenantHeaderStatus.Invalid, Error = error };

    /// <summary>More tenants than allowed (422, as Mimir answers).</summary>
    public static TenantHeaderResult TooMany(int max) =>
        new() { Status = TenantHeaderStatus.TooManyTenants, Error = $"too many tenants in {TenantHeader.Name}: at most {max} allowed" };
}
