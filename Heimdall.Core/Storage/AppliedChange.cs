namespace Heimdall.Core.Storage;

/// <summary>One written change with the state before and after (null when absent), for audit logs.</summary>
/// <param name="Kind"><c>tenant</c> or <c>policy</c>.</param>
/// <param name="Key">The tenant ID or policy name.</param>
/// <param name="Before">The <see cref="Heimdall.Core.Policy.Tenant"/> or <see cref="Heimdall.Core.Policy.AccessPolicy"/> before the change.</param>
/// <param name="After">The state after the change.</param>
public sealed record AppliedChange(string Kind, string Key, object? Before, object? After);
