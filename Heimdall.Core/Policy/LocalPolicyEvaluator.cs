using System.Diagnostics;
using Heimdall.Core.Diagnostics;

namespace Heimdall.Core.Policy;

/// <summary>
/// The built-in evaluator (DESIGN §3): decides in process from the provider's current snapshot, indexed by subject
/// and tenant. The index is rebuilt once per snapshot, on the first decision that sees it.
/// </summary>
internal sealed class LocalPolicyEvaluator(IPolicySnapshotProvider provider) : IPolicyEvaluator
{
    private readonly Lock _buildLock = new();
    private volatile PolicyIndex? _index;

    public ValueTask<AuthorizationResult> EvaluateAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = HeimdallDiagnostics.ActivitySource.StartActivity(SpanNames.EvaluateTenants);
        var start = PolicyMetrics.EvaluationDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

        var index = GetIndex();
        var decisions = new Dictionary<string, TenantDecision>(request.Tenants.Count, StringComparer.Ordinal);
        foreach (var tenant in request.Tenants)
        {
            decisions[tenant] = index.Decide(request.User, request.Groups, tenant, request.Action, request.Resource);
        }

        PolicyMetrics.RecordEvaluation(PolicyMetrics.LocalEvaluator, succeeded: true, start);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("heimdall.evaluator", PolicyMetrics.LocalEvaluator);
            activity.SetTag("heimdall.tenants", request.Tenants.Count);
            activity.SetTag("heimdall.policy_revision", index.Snapshot.Revision);
        }
        return new ValueTask<AuthorizationResult>(AuthorizationResult.Success(decisions));
    }

    /// <summary>The index of the provider's current snapshot.</summary>
    internal PolicyIndex GetIndex()
    {
        var snapshot = provider.Current;
        var index = _index;
        if (index is not null && ReferenceEquals(index.Snapshot, snapshot))
        {
            return index;
        }
        lock (_buildLock)
        {
            index = _index;
            if (index is null || !ReferenceEquals(index.Snapshot, snapshot))
            {
                _index = index = PolicyIndex.Build(snapshot);
            }
            return index;
        }
    }
}
