using System.Diagnostics;
using System.Diagnostics.Metrics;
using Heimdall.Core.Diagnostics;

namespace Heimdall.Core.Policy;

/// <summary>The instruments of policy evaluation and the decision cache.</summary>
internal static class PolicyMetrics
{
    public const string LocalEvaluator = "local";
    public const string OpaEvaluator = "opa";

    public static readonly Counter<long> Evaluations = HeimdallDiagnostics.Meter.CreateCounter<long>(
        MetricNames.OpaEvaluations, description: "Policy evaluations by evaluator and result.");

    public static readonly Histogram<double> EvaluationDuration = HeimdallDiagnostics.Meter.CreateHistogram<double>(
        MetricNames.OpaEvaluationDuration, unit: "s", description: "Policy evaluation duration.");

    public static readonly ObservedCounter CacheHits = new(MetricNames.TenantCacheHits, "Decision cache hits.");

    public static readonly ObservedCounter CacheMisses = new(MetricNames.TenantCacheMisses, "Decision cache misses.");

    /// <summary>Counts one evaluation and, when <paramref name="start"/> is set, records its duration.</summary>
    public static void RecordEvaluation(string evaluator, bool succeeded, long start)
    {
        if (Evaluations.Enabled)
        {
            Evaluations.Add(1, new KeyValuePair<string, object?>("evaluator", evaluator),
                new KeyValuePair<string, object?>("result", succeeded ? "success" : "unavailable"));
        }
        if (start != 0)
        {
            EvaluationDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds,
                new KeyValuePair<string, object?>("evaluator", evaluator));
        }
    }
}
