namespace Heimdall.Core.Federation;

/// <summary>The kinds of <see cref="TenantHeaderResult"/>.</summary>
public enum TenantHeaderStatus
{
    /// <summary>No header.</summary>
    Absent,

    /// <summary>One or more valid tenants.</summary>
    Valid,

    /// <summary>Malformed.</summary>
    Invalid,

    /// <summary>Valid, but more tenants than the configured maximum.</summary>
    TooManyTenants,
}
