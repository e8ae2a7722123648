using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Http;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>
/// Stands between Heimdall and the real Prometheus servers: records every request Heimdall sends upstream (method,
/// path, query string, body, headers) and forwards it to the Prometheus of the tenant named in <c>X-Scope-OrgID</c>,
/// the way Mimir keeps tenants apart. A request naming no known tenant is answered 400 (Mimir answers 401), so a
/// request that should never have left Heimdall shows up both in the record and as a failure. Remote-write pushes are
/// recorded and answered 204 (Prometheus 2.42 has no receiver enabled here).
/// </summary>
internal sealed class RecordingUpstream : IAsyncDisposable
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromMinutes(2) };
    private readonly LoopbackServer _server;
    private readonly IReadOnlyDictionary<string, Uri> _tenants;

    private RecordingUpstream(LoopbackServer server, IReadOnlyDictionary<string, Uri> tenants)
    {
        _server = server;
        _tenants = tenants;
    }

    /// <summary>One request as received.</summary>
    public sealed record Recorded(string Method, string Path, string Query, string Body, IReadOnlyDictionary<string, string[]> Headers)
    {
        /// <summary>The tenant header's values as received (null when absent).</summary>
        public string? Tenant => Headers.TryGetValue("X-Scope-OrgID", out var v) ? string.Join(",", v) : null;

        /// <summary>The form parameters of the body or the query string.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Parameters()
        {
            var text = Body.Length > 0 ? Body : Query.TrimStart('?');
            return [.. text.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
            {
                var eq = p.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString((eq < 0 ? p : p[..eq]).Replace('+', ' '));
                var value = eq < 0 ? "" : Uri.UnescapeDataString(p[(eq + 1)..].Replace('+', ' '));
                return KeyValuePair.Create(name, value);
            })];
        }
    }

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    public Uri Url => _server.Address;

    public static async Task<RecordingUpstream> StartAsync(IReadOnlyDictionary<string, Uri> tenants)
    {
        RecordingUpstream? self = null;
        var server = await LoopbackServer.StartAsync(async context => await self!.HandleAsync(context));
        self = new RecordingUpstream(server, tenants);
        return self;
    }

    /// <summary>Counts requests recorded while <paramref name="action"/> runs (tests in one collection run one at a time).</summary>
    public async Task<(T Result, IReadOnlyList<Recorded> Forwarded)> WatchAsync<T>(Func<Task<T>> action)
    {
        var before = Requests.Count;
        var result = await action();
        return (result, Requests.Skip(before).ToList());
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase);
        var recorded = new Recorded(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", body, headers);
        Requests.Enqueue(recorded);
        if (context.Request.Path.Value?.EndsWith("/push", StringComparison.Ordinal) == true)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (recorded.Tenant is not { } tenant || !_tenants.TryGetValue(tenant, out var target))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("recording upstream: no such tenant: " + recorded.Tenant);
            return;
        }
        var path = recorded.Path.StartsWith("/prometheus/", StringComparison.Ordinal) ? recorded.Path["/prometheus".Length..] : recorded.Path;
        using var forward = new HttpRequestMessage(new HttpMethod(recorded.Method), new Uri(target, path + recorded.Query));
        if (body.Length > 0)
        {
            forward.Content = new StringContent(body);
            forward.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "application/x-www-form-urlencoded");
        }
        using var response = await s_http.SendAsync(forward);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        await context.Response.Body.WriteAsync(await response.Content.ReadAsByteArrayAsync());
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
