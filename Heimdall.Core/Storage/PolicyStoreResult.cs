using Heimdall.Core.Policy;

namespace Heimdall.Core.Storage;

/// <summary>The outcome of <see cref="IPolicyStore.ApplyAsync"/>.</summary>
public sealed record PolicyStoreResult
{
    /// <summary>Whether the batch was written and, if not, why.</summary>
    public required PolicyStoreStatus Status { get; init; }

    /// <summary>Every reason the batch was refused (empty on success).</summary>
    public IReadOnlyList<PolicyValidationError> Errors { get; init; } = [];

    /// <summary>The store revision after the write (unchanged when refused).</summary>
    public long Revision { get; init; }

    /// <summary>What was written, with before/after states.</summary>
    public IReadOnlyList<AppliedChange> Changes { get; init; } = [];

    /// <summary>True when written.</summary>
    public bool Succeeded => Status == PolicyStoreStatus.Ok;
}
