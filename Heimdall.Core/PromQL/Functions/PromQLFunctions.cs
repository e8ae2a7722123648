using System.Collections.Frozen;
using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Functions;

/// <summary>Every function of current Prometheus (3.x) and Mimir.</summary>
public static class PromQLFunctions
{
    private const PromQLValueType S = PromQLValueType.Scalar;
    private const PromQLValueType V = PromQLValueType.InstantVector;
    private const PromQLValueType M = PromQLValueType.RangeVector;
    private const PromQLValueType Str = PromQLValueType.String;

    private static readonly FrozenDictionary<string, PromQLFunction> s_all = Build().ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, PromQLFunction>.AlternateLookup<ReadOnlySpan<char>> s_lookup =
        s_all.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>All functions by name.</summary>
    public static IReadOnlyDictionary<string, PromQLFunction> All => s_all;

    /// <summary>Looks a function up by name.</summary>
    /// <param name="name">The function name.</param>
    /// <param name="function">The function when found.</param>
    public static bool TryGet(string name, out PromQLFunction? function) => s_all.TryGetValue(name, out function);

    internal static bool TryGetSpan(ReadOnlySpan<char> name, out PromQLFunction? function) => s_lookup.TryGetValue(name, out function);

    private static IEnumerable<PromQLFunction> Build()
    {
        yield return new("abs", [V], 0, V);
        yield return new("absent", [V], 0, V);
        yield return new("absent_over_time", [M], 0, V);
        yield return new("acos", [V], 0, V);
        yield return new("acosh", [V], 0, V);
        yield return new("asin", [V], 0, V);
        yield return new("asinh", [V], 0, V);
        yield return new("atan", [V], 0, V);
        yield return new("atanh", [V], 0, V);
        yield return new("avg_over_time", [M], 0, V);
        yield return new("ceil", [V], 0, V);
        yield return new("changes", [M], 0, V);
        yield return new("clamp", [V, S, S], 0, V);
        yield return new("clamp_max", [V, S], 0, V);
        yield return new("clamp_min", [V, S], 0, V);
        yield return new("cos", [V], 0, V);
        yield return new("cosh", [V], 0, V);
        yield return new("count_over_time", [M], 0, V);
        yield return new("days_in_month", [V], 1, V);
        yield return new("day_of_month", [V], 1, V);
        yield return new("day_of_week", [V], 1, V);
        yield return new("day_of_year", [V], 1, V);
        yield return new("deg", [V], 0, V);
        yield return new("delta", [M], 0, V);
        yield return new("deriv", [M], 0, V);
        yield return new("double_exponential_smoothing", [M, S, S], 0, V, Experimental: true);
        yield return new("exp", [V], 0, V);
        yield return new("floor", [V], 0, V);
        yield return new("histogram_avg", [V], 0, V);
        yield return new("histogram_count", [V], 0, V);
        yield return new("histogram_fraction", [S, S, V], 0, V);
        yield return new("histogram_quantile", [S, V], 0, V);
        yield return new("histogram_stddev", [V], 0, V);
        yield return new("histogram_stdvar", [V], 0, V);
        yield return new("histogram_sum", [V], 0, V);
        yield return new("holt_winters", [M, S, S], 0, V);
        yield return new("hour", [V], 1, V);
        yield return new("idelta", [M], 0, V);
        yield return new("increase", [M], 0, V);
        yield return new("info", [V, V], 1, V, Experimental: true);
        yield return new("irate", [M], 0, V);
        yield return new("label_replace", [V, Str, Str, Str, Str], 0, V);
        yield return new("label_join", [V, Str, Str, Str], -1, V);
        yield return new("last_over_time", [M], 0, V);
        yield return new("ln", [V], 0, V);
        yield return new("log10", [V], 0, V);
        yield return new("log2", [V], 0, V);
        yield return new("mad_over_time", [M], 0, V, Experimental: true);
        yield return new("max_over_time", [M], 0, V);
        yield return new("min_over_time", [M], 0, V);
        yield return new("minute", [V], 1, V);
        yield return new("month", [V], 1, V);
        yield return new("pi", [], 0, S);
        yield return new("predict_linear", [M, S], 0, V);
        yield return new("present_over_time", [M], 0, V);
        yield return new("quantile_over_time", [S, M], 0, V);
        yield return new("rad", [V], 0, V);
        yield return new("rate", [M], 0, V);
        yield return new("resets", [M], 0, V);
        yield return new("round", [V, S], 1, V);
        yield return new("scalar", [V], 0, S);
        yield return new("sgn", [V], 0, V);
        yield return new("sin", [V], 0, V);
        yield return new("sinh", [V], 0, V);
        yield return new("sort", [V], 0, V);
        yield return new("sort_desc", [V], 0, V);
        yield return new("sort_by_label", [V, Str], -1, V, Experimental: true);
        yield return new("sort_by_label_desc", [V, Str], -1, V, Experimental: true);
        yield return new("sqrt", [V], 0, V);
        yield return new("stddev_over_time", [M], 0, V);
        yield return new("stdvar_over_time", [M], 0, V);
        yield return new("sum_over_time", [M], 0, V);
        yield return new("tan", [V], 0, V);
        yield return new("tanh", [V], 0, V);
        yield return new("time", [], 0, S);
        yield return new("timestamp", [V], 0, V);
        yield return new("ts_of_max_over_time", [M], 0, V, Experimental: true);
        yield return new("ts_of_min_over_time", [M], 0, V, Experimental: true);
        yield return new("ts_of_last_over_time", [M], 0, V, Experimental: true);
        yield return new("vector", [S], 0, V);
        yield return new("year", [V], 1, V);
    }
}
