using System.Globalization;
using System.Text;

namespace Heimdall.Tests.PromQL.Rewriting;

/// <summary>
/// A deterministic synthetic data set for the rewriter's semantic tests: counters, gauges, classic
/// histograms and recording-rule-style names over several labels (<c>env</c>, <c>team</c>, <c>tier</c>,
/// <c>instance</c>, <c>job</c>, <c>__tenant_id__</c>), including values with regex metacharacters
/// (<c>a.b</c> next to <c>axb</c>, <c>c|d</c> next to <c>c</c> and <c>d</c>) so that unescaped regexes
/// would select more than they should.
/// </summary>
internal static class SyntheticMetrics
{
    /// <summary>First sample (Unix seconds), aligned to a 2 h block boundary.</summary>
    public const long Start = 1_699_999_200;

    /// <summary>Seconds between samples.</summary>
    public const int Step = 15;

    /// <summary>Number of samples per series (one hour).</summary>
    public const int Samples = 241;

    /// <summary>Last sample (Unix seconds).</summary>
    public static long End => Start + (Samples - 1) * Step;

    public sealed record Series(IReadOnlyDictionary<string, string> Labels, double[] Values);

    private static readonly string[] s_envs = ["prod", "dev", "staging"];
    private static readonly string[] s_teams = ["alpha", "beta", "a.b", "axb", "c|d", "c", "d"];
    private static readonly string[] s_tiers = ["free", "paid"];
    private static readonly string[] s_buckets = ["0.05", "0.1", "0.5", "1", "5", "+Inf"];

    /// <summary>All series, in a fixed order.</summary>
    public static IReadOnlyList<Series> All { get; } = Generate();

    private static List<Series> Generate()
    {
        var list = new List<Series>();
        var seed = 1;
        foreach (var env in s_envs)
        {
            foreach (var team in s_teams)
            {
                var tenant = (seed % 3 == 0) ? "globex" : "acme";
                foreach (var tier in s_tiers)
                {
                    var inst = $"host-{(seed % 4) + 1}:9100";
                    foreach (var (method, code) in new[] { ("GET", "200"), ("POST", "500") })
                    {
                        list.Add(Counter(seed++, new()
                        {
                            ["__name__"] = "http_requests_total", ["job"] = "api", ["instance"] = inst, ["env"] = env,
                            ["team"] = team, ["tier"] = tier, ["method"] = method, ["code"] = code, ["__tenant_id__"] = tenant,
                        }));
                    }
                    list.Add(Gauge(seed++, new()
                    {
                        ["__name__"] = "memory_usage_bytes", ["job"] = "node", ["instance"] = inst, ["env"] = env,
                        ["team"] = team, ["tier"] = tier, ["__tenant_id__"] = tenant,
                    }, scale: 1_000_000));
                }

                // up: one per env/team, some down.
                list.Add(new Series(new Dictionary<string, string>
                {
                    ["__name__"] = "up", ["job"] = team == "beta" ? "batch" : "api", ["instance"] = $"host-{(seed % 4) + 1}:9100",
                    ["env"] = env, ["team"] = team, ["__tenant_id__"] = tenant,
                }, Enumerable.Range(0, Samples).Select(i => (seed + i / 60) % 5 == 0 ? 0d : 1d).ToArray()));
                seed++;

                // CPU seconds by mode.
                foreach (var mode in new[] { "idle", "user" })
                {
                    list.Add(Counter(seed++, new()
                    {
                        ["__name__"] = "node_cpu_seconds_total", ["job"] = "node", ["instance"] = $"host-{(seed % 4) + 1}:9100",
                        ["env"] = env, ["team"] = team, ["mode"] = mode, ["__tenant_id__"] = tenant,
                    }));
                }

                // A classic histogram.
                var bucketSeed = seed++;
                var cumulative = new double[Samples];
                for (var b = 0; b < s_buckets.Length; b++)
                {
                    var values = new double[Samples];
                    for (var i = 0; i < Samples; i++)
                    {
                        cumulative[i] += i * (((bucketSeed * 7 + b * 3) % 5) + 1);
                        values[i] = cumulative[i];
                    }
                    list.Add(new Series(new Dictionary<string, string>
                    {
                        ["__name__"] = "request_duration_seconds_bucket", ["job"] = "api", ["env"] = env, ["team"] = team,
                        ["le"] = s_buckets[b], ["__tenant_id__"] = tenant,
                    }, values));
                }
                list.Add(new Series(new Dictionary<string, string>
                {
                    ["__name__"] = "request_duration_seconds_count", ["job"] = "api", ["env"] = env, ["team"] = team, ["__tenant_id__"] = tenant,
                }, cumulative.ToArray()));
                list.Add(Counter(bucketSeed + 1000, new()
                {
                    ["__name__"] = "request_duration_seconds_sum", ["job"] = "api", ["env"] = env, ["team"] = team, ["__tenant_id__"] = tenant,
                }));
            }

            // A recording-rule-style name, a metric without team, and one whose label values need escaping.
            list.Add(Gauge(seed++, new() { ["__name__"] = "job:http_requests:rate5m", ["job"] = "api", ["env"] = env, ["__tenant_id__"] = "acme" }, scale: 10));
            list.Add(Gauge(seed++, new() { ["__name__"] = "build_info", ["version"] = "1.2." + seed, ["env"] = env, ["__tenant_id__"] = "globex" }, scale: 0));
            list.Add(Gauge(seed++, new()
            {
                ["__name__"] = "queue_depth", ["queue"] = "q\"uote\\path", ["env"] = env, ["team"] = "x(y)", ["tier"] = "paid", ["__tenant_id__"] = "acme",
            }, scale: 3));
        }

        // A series that has the same labels (but another name) as a memory_usage_bytes series: catches `or`
        // deduplicating across metric names.
        var twinLabels = new Dictionary<string, string>(list.First(s => s.Labels["__name__"] == "memory_usage_bytes").Labels)
        {
            ["__name__"] = "memory_limit_bytes",
        };
        list.Add(Gauge(seed++, twinLabels, scale: 2_000_000));
        var twinLabels2 = new Dictionary<string, string>(list.First(s => s.Labels["__name__"] == "memory_usage_bytes" && s.Labels["team"] == "beta").Labels)
        {
            ["__name__"] = "memory_limit_bytes",
        };
        list.Add(Gauge(seed++, twinLabels2, scale: 2_000_000));
        return list;
    }

    private static Series Counter(int seed, Dictionary<string, string> labels)
    {
        var values = new double[Samples];
        double v = seed * 11 % 97;
        for (var i = 0; i < Samples; i++)
        {
            v += ((seed * 31 + i * 7) % 13) + (seed % 7);
            // One counter reset in the middle for some series.
            if (seed % 5 == 0 && i == Samples / 2)
            {
                v = 3;
            }
            values[i] = v;
        }
        return new Series(labels, values);
    }

    private static Series Gauge(int seed, Dictionary<string, string> labels, double scale)
    {
        var values = new double[Samples];
        for (var i = 0; i < Samples; i++)
        {
            values[i] = scale == 0 ? 1 : Math.Round(scale * (1 + (seed * 17 + i * 3) % 23 + seed / 1000.0), 3);
        }
        return new Series(labels, values);
    }

    /// <summary>Writes the series that satisfy <paramref name="include"/> as OpenMetrics text.</summary>
    public static void WriteOpenMetrics(string path, Func<IReadOnlyDictionary<string, string>, bool> include)
    {
        var sb = new StringBuilder();
        foreach (var s in All)
        {
            if (!include(s.Labels))
            {
                continue;
            }
            var name = s.Labels["__name__"];
            var labelText = string.Join(",", s.Labels.Where(kv => kv.Key != "__name__").OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"{kv.Key}=\"{Escape(kv.Value)}\""));
            for (var i = 0; i < Samples; i++)
            {
                sb.Append(name).Append('{').Append(labelText).Append("} ")
                    .Append(s.Values[i].ToString("R", CultureInfo.InvariantCulture)).Append(' ')
                    .Append((Start + (long)i * Step).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        sb.Append("# EOF\n");
        File.WriteAllText(path, sb.ToString());
    }

    private static string Escape(string v) => v.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
