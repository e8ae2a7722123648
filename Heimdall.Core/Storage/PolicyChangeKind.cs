namespace Heimdall.Core.Storage;

/// <summary>What a <see cref="PolicyChange"/> does.</summary>
public enum PolicyChangeKind
{
    /// <summary>Adds a tenant; conflict if it exists.</summary>
    CreateTenant,

    /// <summary>Replaces an existing tenant; not found if it does not exist.</summary>
    ReplaceTenant,

    /// <summary>Adds or replaces a tenant.</summary>
    UpsertTenant,

    /// <summary>Removes a tenant; conflict while policies name it.</summary>
    DeleteTenant,

    /// <summary>Adds a policy; conflict if the name exists.</summary>
    CreatePolicy,

    /// <summary>Replaces an existing policy.</summary>
    ReplacePolicy,

    /// <summary>Adds or replaces a policy.</summary>
    UpsertPolicy,

    /// <summary>Removes a policy.</summary>
    DeletePolicy,

    /// <summary>Makes the store hold exactly a document's tenants and policies (GitOps import).</summary>
    ReplaceAll,
}
