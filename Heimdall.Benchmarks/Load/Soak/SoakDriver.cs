using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Heimdall.Benchmarks.Load.Soak;

/// <summary>
/// Drives a <see cref="SoakEnvironment"/> with <c>connections</c> concurrent workers, each sending a fixed mix of
/// requests (instant and range queries, series, label values, with and without <c>X-Scope-OrgID</c>, two callers,
/// one refused tenant) and verifying every answer: the expected status, well-formed JSON, data where data exists,
/// and every series, label set or value within the caller's grant (a violation is a leak). Latency is recorded after
/// a warm-up; this process's resident set is sampled every half second.
/// </summary>
internal static class SoakDriver
{
    private const int MaxSamples = 10;

    public static async Task<SoakReport> RunAsync(SoakEnvironment env, TimeSpan duration, int connections, TimeSpan warmUp,
        CancellationToken cancellationToken = default)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = env.GatewayUrl, Timeout = TimeSpan.FromSeconds(60) };
        var probes = Probes(env);
        var state = new State();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = new Task<List<double>>[connections];
        for (var w = 0; w < connections; w++)
        {
            var offset = w;
            workers[w] = Task.Run(() => WorkAsync(http, probes, offset, state, stop.Token), CancellationToken.None);
        }

        await Task.Delay(warmUp, cancellationToken);
        var rssStart = ResidentBytes();
        var peak = rssStart;
        var started = Stopwatch.GetTimestamp();
        Volatile.Write(ref state.Measuring, true);
        while (Stopwatch.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
            peak = Math.Max(peak, ResidentBytes());
        }
        Volatile.Write(ref state.Measuring, false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var rssEnd = ResidentBytes();
        await stop.CancelAsync();
        var latencies = (await Task.WhenAll(workers)).SelectMany(l => l).ToArray();
        Array.Sort(latencies);
        return new SoakReport
        {
            Duration = elapsed,
            Connections = connections,
            Requests = latencies.Length,
            Errors = Interlocked.Read(ref state.Errors),
            Leaks = Interlocked.Read(ref state.Leaks),
            SeriesChecked = Interlocked.Read(ref state.SeriesChecked),
            P50Milliseconds = Percentile(latencies, 0.50),
            P99Milliseconds = Percentile(latencies, 0.99),
            MaxMilliseconds = latencies.Length == 0 ? 0 : latencies[^1],
            RssStartBytes = rssStart,
            RssEndBytes = rssEnd,
            RssPeakBytes = Math.Max(peak, rssEnd),
            Samples = state.Samples(),
        };
    }

    private static async Task<List<double>> WorkAsync(HttpClient http, Probe[] probes, int offset, State state, CancellationToken ct)
    {
        var latencies = new List<double>(4096);
        for (var i = offset; !ct.IsCancellationRequested; i++)
        {
            var probe = probes[i % probes.Length];
            var begin = Stopwatch.GetTimestamp();
            try
            {
                using var request = probe.Create();
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                var ms = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                if (Volatile.Read(ref state.Measuring))
                {
                    latencies.Add(ms);
                }
                if ((int)response.StatusCode != probe.Status)
                {
                    state.Error($"{probe.Name}: status {(int)response.StatusCode}: {Excerpt(body)}");
                    continue;
                }
                using var doc = JsonDocument.Parse(body);
                probe.Check(doc.RootElement, state, probe.Name);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or OperationCanceledException or InvalidOperationException or KeyNotFoundException)
            {
                state.Error($"{probe.Name}: {e.GetType().Name}: {e.Message}");
            }
        }
        return latencies;
    }

    private sealed record Probe(string Name, Func<HttpRequestMessage> Create, int Status, Action<JsonElement, State, string> Check);

    private static Probe[] Probes(SoakEnvironment env)
    {
        string Now() => (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        string Ago(int seconds) => (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds).ToString(CultureInfo.InvariantCulture);
        HttpRequestMessage Get(string token, string? tenants, string path) => With(new HttpRequestMessage(HttpMethod.Get, path), token, tenants);
        HttpRequestMessage Post(string token, string? tenants, string path, params (string, string)[] form) =>
            With(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Item1, f.Item2))) }, token, tenants);

        // alice: job="prod" on acme and globex (federated view: every series names its tenant).
        static bool AliceSees(IReadOnlyDictionary<string, string> labels) =>
            labels.GetValueOrDefault("job") == "prod" && labels.GetValueOrDefault("__tenant_id__") is "acme" or "globex";
        // bob: job="dev" on globex alone (one tenant: no federation label).
        static bool BobSees(IReadOnlyDictionary<string, string> labels) =>
            labels.GetValueOrDefault("job") == "dev" && !labels.ContainsKey("__tenant_id__");

        var alice = env.AliceToken;
        var bob = env.BobToken;
        return
        [
            new("alice instant up", () => Get(alice, "acme|globex", "/api/v1/query?query=up&time=" + Now()), 200,
                (root, s, name) => CheckSeries(root.GetProperty("data").GetProperty("result"), "metric", AliceSees, 2, s, name)),
            new("alice rate, tenants resolved", () => Post(alice, null, "/api/v1/query", ("query", "rate(prometheus_http_requests_total[30s])"), ("time", Now())), 200,
                (root, s, name) => CheckSeries(root.GetProperty("data").GetProperty("result"), "metric", AliceSees, 2, s, name)),
            new("alice range up", () => Post(alice, "acme|globex", "/prometheus/api/v1/query_range", ("query", "up"), ("start", Ago(60)), ("end", Ago(0)), ("step", "5")), 200,
                (root, s, name) => CheckSeries(root.GetProperty("data").GetProperty("result"), "metric", AliceSees, 2, s, name)),
            new("alice series", () => Get(alice, "acme|globex", "/api/v1/series?match[]=up&start=" + Ago(60)), 200,
                (root, s, name) => CheckSeries(root.GetProperty("data"), null, AliceSees, 2, s, name)),
            new("alice job values", () => Get(alice, "acme|globex", "/api/v1/label/job/values?start=" + Ago(60)), 200,
                (root, s, name) => CheckValues(root.GetProperty("data"), ["prod"], s, name)),
            new("bob instant up", () => Get(bob, "globex", "/api/v1/query?query=up&time=" + Now()), 200,
                (root, s, name) => CheckSeries(root.GetProperty("data").GetProperty("result"), "metric", BobSees, 1, s, name)),
            new("bob refused acme", () => Get(bob, "acme", "/api/v1/query?query=up"), 403,
                (root, s, name) =>
                {
                    if (root.GetProperty("status").GetString() != "error" || root.TryGetProperty("data", out _))
                    {
                        s.Leak($"{name}: a refusal carried data: {root.GetRawText()}");
                    }
                }),
        ];

        static HttpRequestMessage With(HttpRequestMessage request, string token, string? tenants)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            if (tenants is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Scope-OrgID", tenants);
            }
            return request;
        }
    }

    /// <summary>Every element's labels (under <paramref name="property"/>, or the element itself) must satisfy the grant; exactly <paramref name="expected"/> series.</summary>
    private static void CheckSeries(JsonElement list, string? property, Func<IReadOnlyDictionary<string, string>, bool> granted, int expected, State state, string name)
    {
        var count = 0;
        foreach (var item in list.EnumerateArray())
        {
            count++;
            var labels = (property is null ? item : item.GetProperty(property)).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            Interlocked.Increment(ref state.SeriesChecked);
            if (!granted(labels))
            {
                state.Leak($"{name}: {string.Join(",", labels.Select(kv => kv.Key + "=" + kv.Value))}");
            }
        }
        // up: one series per tenant; rate(): at least one per tenant.
        if (count < expected || (name.Contains(" up", StringComparison.Ordinal) && count != expected))
        {
            state.Error($"{name}: {count} series, expected {expected}");
        }
    }

    private static void CheckValues(JsonElement list, string[] expected, State state, string name)
    {
        var values = list.EnumerateArray().Select(v => v.GetString()!).ToArray();
        foreach (var v in values.Except(expected, StringComparer.Ordinal))
        {
            state.Leak($"{name}: value {v}");
        }
        if (!values.SequenceEqual(expected, StringComparer.Ordinal) && values.All(expected.Contains))
        {
            state.Error($"{name}: [{string.Join(",", values)}], expected [{string.Join(",", expected)}]");
        }
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static string Excerpt(byte[] body) => Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));

    /// <summary>VmRSS of this process (Linux), else the working set.</summary>
    public static long ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private sealed class State
    {
        private readonly List<string> _samples = [];
        public long Errors;
        public long Leaks;
        public long SeriesChecked;
        public bool Measuring;

        public void Error(string what)
        {
            Interlocked.Increment(ref Errors);
            Sample("error: " + what);
        }

        public void Leak(string what)
        {
            Interlocked.Increment(ref Leaks);
            Sample("LEAK: " + what);
        }

        private void Sample(string what)
        {
            lock (_samples)
            {
                if (_samples.Count < MaxSamples)
                {
                    _samples.Add(what);
                }
            }
        }

        public IReadOnlyList<string> Samples()
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }
}
