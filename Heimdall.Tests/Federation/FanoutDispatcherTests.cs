using System.Buffers;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Federation;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heimdall.Tests.Federation;

public class FanoutDispatcherTests
{
    private static readonly PrometheusEndpoint s_query = PrometheusEndpoints.Find("/api/v1/query", out _)!;

    private static FanoutDispatcher Dispatcher(Uri url, FanoutOptions? options = null, IReadOnlyDictionary<string, Uri>? tenantUrls = null) =>
        new(new UpstreamClient(new UpstreamOptions { Url = url, TenantUrls = tenantUrls ?? new Dictionary<string, Uri>() }),
            options ?? new FanoutOptions(), NullLogger<FanoutDispatcher>.Instance);

    private static UpstreamRequest Query(string tenant, string query, long? time = null) => new()
    {
        Endpoint = s_query,
        Tenants = [tenant],
        Parameters = PrometheusRequestParameters.Create([new("query", query), .. time is { } t ? [new KeyValuePair<string, string>("time", t.ToString(CultureInfo.InvariantCulture))] : Array.Empty<KeyValuePair<string, string>>()]),
    };

    /// <summary>OpenMetrics for one tenant: two series of <c>fed_metric</c> every 15 s for 10 minutes from <paramref name="start"/>.</summary>
    internal static string TenantData(string tenant, long start)
    {
        var sb = new StringBuilder("# TYPE fed_metric gauge\n");
        for (var t = start; t <= start + 600; t += 15)
        {
            sb.Append(CultureInfo.InvariantCulture, $"fed_metric{{env=\"prod\",owner=\"{tenant}\"}} 1 {t}\n");
            sb.Append(CultureInfo.InvariantCulture, $"fed_metric{{env=\"dev\",owner=\"{tenant}\"}} 2 {t}\n");
        }
        return sb.Append("# EOF\n").ToString();
    }

    [Fact]
    public async Task FansOut_ToOnePrometheusPerTenant_AndMergesIntoFederatedShape()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds() / 60 * 60;
        await using var acme = await FederationPrometheus.StartAsync(TenantData("acme", start));
        await using var globex = await FederationPrometheus.StartAsync(TenantData("globex", start));
        var dispatcher = Dispatcher(new Uri("http://127.0.0.1:1"), tenantUrls: new Dictionary<string, Uri> { ["acme"] = acme.Url, ["globex"] = globex.Url });

        var result = await dispatcher.DispatchAsync(
            [Query("globex", "fed_metric{env=\"prod\"}", start + 300), Query("acme", "fed_metric{env=\"prod\"}", start + 300)], CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        var output = new ArrayBufferWriter<byte>();
        Assert.True(PrometheusResponseMerger.Merge(ResponseKind.Query, result.Responses, output).Succeeded);
        using var doc = JsonDocument.Parse(output.WrittenMemory);
        var series = doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(s => s.GetProperty("metric").GetRawText()).ToArray();
        Assert.Equal(
        [
            """{"__name__":"fed_metric","__tenant_id__":"acme","env":"prod","owner":"acme"}""",
            """{"__name__":"fed_metric","__tenant_id__":"globex","env":"prod","owner":"globex"}""",
        ], series);
    }

    [Fact]
    public async Task SendsEachParameterOnce_InTheFormBody_WithTenantHeader()
    {
        string? seen = null;
        await using var upstream = await LoopbackServer.StartAsync(async ctx =>
        {
            var form = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            seen = $"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString} {ctx.Request.ContentType} [{form}] {ctx.Request.Headers["X-Scope-OrgID"]}";
            await ctx.Response.WriteAsync("""{"status":"success","data":{"resultType":"vector","result":[]}}""");
        });
        var dispatcher = Dispatcher(new Uri(upstream.Address, "/prometheus/"));
        var result = await dispatcher.DispatchAsync([Query("a", "up{x=\"1\"}", 5) with { Tenants = ["a", "b"] }], CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("POST /prometheus/api/v1/query application/x-www-form-urlencoded [query=up%7Bx%3D%221%22%7D&time=5] a|b", seen);
    }

    [Fact]
    public async Task Returns504NamingTheTenant_OnTimeout()
    {
        await using var upstream = await LoopbackServer.StartAsync(async ctx => await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted));
        var dispatcher = Dispatcher(upstream.Address, new FanoutOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        var result = await dispatcher.DispatchAsync([Query("slow-tenant", "up")], CancellationToken.None);
        Assert.Equal(504, result.StatusCode);
        Assert.Contains("tenant slow-tenant", result.Error);
    }

    [Fact]
    public async Task Returns502NamingTheTenant_OnUpstream5xx_OrPartialResultWhenConfigured()
    {
        await using var upstream = await LoopbackServer.StartAsync(async ctx =>
        {
            if (ctx.Request.Headers["X-Scope-OrgID"] == "bad")
            {
                ctx.Response.StatusCode = 500;
                await ctx.Response.WriteAsync("""{"status":"error","errorType":"internal","error":"disk on fire"}""");
                return;
            }
            await ctx.Response.WriteAsync("""{"status":"success","data":{"resultType":"vector","result":[]}}""");
        });
        var strict = await Dispatcher(upstream.Address).DispatchAsync([Query("good", "up"), Query("bad", "up")], CancellationToken.None);
        Assert.Equal(502, strict.StatusCode);
        Assert.Equal("tenant bad: upstream answered 500: disk on fire", strict.Error);

        var partial = await Dispatcher(upstream.Address, new FanoutOptions { PartialResponse = true })
            .DispatchAsync([Query("good", "up"), Query("bad", "up")], CancellationToken.None);
        Assert.True(partial.Succeeded);
        Assert.Equal(["good"], partial.Responses.Select(r => r.TenantNames));
        Assert.Equal(["partial result: tenant bad: upstream answered 500: disk on fire"], partial.Warnings);

        var allBad = await Dispatcher(upstream.Address, new FanoutOptions { PartialResponse = true }).DispatchAsync([Query("bad", "up")], CancellationToken.None);
        Assert.Equal(502, allBad.StatusCode);
    }

    [Fact]
    public async Task PassesUpstream4xx_WithTenantAndErrorType()
    {
        await using var upstream = await LoopbackServer.StartAsync(async ctx =>
        {
            ctx.Response.StatusCode = 422;
            await ctx.Response.WriteAsync("""{"status":"error","errorType":"execution","error":"too many samples"}""");
        });
        var result = await Dispatcher(upstream.Address, new FanoutOptions { PartialResponse = true }).DispatchAsync([Query("t1", "up")], CancellationToken.None);
        Assert.Equal(422, result.StatusCode);
        Assert.Equal("execution", result.ErrorType);
        Assert.Equal("tenant t1: too many samples", result.Error);
    }

    [Fact]
    public async Task Returns502_WhenUpstreamUnreachable()
    {
        var result = await Dispatcher(new Uri($"http://127.0.0.1:{FederationPrometheus.FreePort()}")).DispatchAsync([Query("t1", "up")], CancellationToken.None);
        Assert.Equal(502, result.StatusCode);
        Assert.StartsWith("tenant t1: upstream unreachable", result.Error);
    }

    [Fact]
    public async Task Refuses429_AndCountsDrop_WhenSaturated()
    {
        var release = new TaskCompletionSource();
        var arrived = new TaskCompletionSource();
        await using var upstream = await LoopbackServer.StartAsync(async ctx =>
        {
            arrived.TrySetResult();
            await release.Task.WaitAsync(ctx.RequestAborted);
            await ctx.Response.WriteAsync("""{"status":"success","data":{"resultType":"vector","result":[]}}""");
        });
        var dropped = MeterReader.Read(MetricNames.FanoutDropped);

        var dispatcher = Dispatcher(upstream.Address, new FanoutOptions { MaxConcurrency = 1 });
        var first = dispatcher.DispatchAsync([Query("a", "up")], CancellationToken.None);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, FederationMetrics.Active);
        var second = await dispatcher.DispatchAsync([Query("b", "up")], CancellationToken.None);
        Assert.Equal(429, second.StatusCode);
        Assert.Contains("fanout.max_concurrency=1", second.Error);
        Assert.True(MeterReader.Read(MetricNames.FanoutDropped) >= dropped + 1, "drop not counted");
        release.SetResult();
        Assert.True((await first).Succeeded);
    }

    [Fact]
    public async Task RunsOneClientRequest_WithMoreTenantsThanTheBound()
    {
        await using var upstream = await LoopbackServer.StartAsync(ctx => ctx.Response.WriteAsync("""{"status":"success","data":{"resultType":"vector","result":[]}}"""));
        var dispatcher = Dispatcher(upstream.Address, new FanoutOptions { MaxConcurrency = 2 });
        var result = await dispatcher.DispatchAsync([.. Enumerable.Range(0, 7).Select(i => Query("t" + i, "up"))], CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(7, result.Responses.Count);
    }

    [Fact]
    public async Task CancelsUpstreamRequests_WhenTheClientGoesAway()
    {
        var aborted = new TaskCompletionSource();
        var arrived = new TaskCompletionSource();
        await using var upstream = await LoopbackServer.StartAsync(async ctx =>
        {
            ctx.RequestAborted.Register(() => aborted.TrySetResult());
            arrived.TrySetResult();
            await Task.Delay(TimeSpan.FromMinutes(1), ctx.RequestAborted);
        });
        using var client = new CancellationTokenSource();
        var dispatch = Dispatcher(upstream.Address).DispatchAsync([Query("a", "up")], client.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatch);
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ConcurrentGroups_NeverSeeEachOthersRewrittenQuery()
    {
        // The upstream echoes what it received; every group's parameters are copies of one shared base set.
        await using var upstream = await LoopbackServer.StartAsync(async ctx =>
        {
            var form = await ctx.Request.ReadFormAsync();
            await Task.Yield();
            var echo = JsonSerializer.Serialize(new { tenant = ctx.Request.Headers["X-Scope-OrgID"].ToString(), query = form["query"].ToString(), count = form["query"].Count });
            await ctx.Response.WriteAsync("""{"status":"success","data":{"resultType":"string","result":[0,""" + JsonSerializer.Serialize(echo) + "]}}");
        });
        var dispatcher = Dispatcher(upstream.Address, new FanoutOptions { MaxConcurrency = 64, QueueTimeout = TimeSpan.FromMinutes(1) });
        var shared = PrometheusRequestParameters.Create([new("query", "sum(up)"), new("time", "1")]);
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var requests = Enumerable.Range(0, 4).Select(g => new UpstreamRequest
            {
                Endpoint = s_query,
                Tenants = [$"t{i}-{g}"],
                Parameters = shared.With("query", $"sum(up{{__grant__=\"{i}-{g}\"}})"),
            }).ToArray();
            var result = await dispatcher.DispatchAsync(requests, ct);
            Assert.True(result.Succeeded, result.Error);
            foreach (var response in result.Responses)
            {
                using var doc = JsonDocument.Parse(response.Body);
                using var echo = JsonDocument.Parse(doc.RootElement.GetProperty("data").GetProperty("result")[1].GetString()!);
                var tenant = echo.RootElement.GetProperty("tenant").GetString()!;
                var expected = $"sum(up{{__grant__=\"{tenant[1..]}\"}})";
                if (tenant != response.TenantNames || echo.RootElement.GetProperty("query").GetString() != expected || echo.RootElement.GetProperty("count").GetInt32() != 1)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        Assert.Equal(0, failures);
        Assert.Equal("sum(up)", shared.Get("query"));
    }
}
