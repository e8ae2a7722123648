namespace Heimdall.Core.Federation;

/// <summary>
/// One successful upstream answer to merge: the tenants it was asked for (one, or several with identical grants
/// sent as one federated request, whose series then already carry <c>__tenant_id__</c>), its JSON body, and for
/// rules and alerts the grant to filter them with; the upstream's content type for pass-through answers.
/// </summary>
internal readonly record struct TenantResponse(IReadOnlyList<string> Tenants, ReadOnlyMemory<byte> Body, IGrantMatcher? Grant = null, string? ContentType = null)
{
    /// <summary>The tenants as shown in messages.</summary>
    public string TenantNames => TenantHeader.Format(Tenants);
}
