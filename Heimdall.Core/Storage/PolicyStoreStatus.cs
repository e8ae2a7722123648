namespace Heimdall.Core.Storage;

/// <summary>The outcome of a write.</summary>
public enum PolicyStoreStatus
{
    /// <summary>Written.</summary>
    Ok,

    /// <summary>Nothing written: the input is invalid (HTTP 400).</summary>
    Invalid,

    /// <summary>Nothing written: a tenant or policy to replace or delete does not exist (HTTP 404).</summary>
    NotFound,

    /// <summary>Nothing written: the name exists, or a tenant is still in use (HTTP 409).</summary>
    Conflict,
}
