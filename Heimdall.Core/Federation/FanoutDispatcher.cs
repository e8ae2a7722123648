using System.Diagnostics;
using System.Text.Json;
using Heimdall.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Heimdall.Core.Federation;

/// <summary>
/// Sends the upstream requests of one client request in parallel: at most <see cref="FanoutOptions.MaxConcurrency"/>
/// in flight across all client requests (a request finding no slot within <see cref="FanoutOptions.QueueTimeout"/>
/// fails the client request with 429), each with its own timeout (504 naming the tenant), all cancelled when the
/// client goes away or one fails. An upstream 5xx, transport error or body broken off is a 502 naming the tenant; an upstream 4xx is
/// passed on with the tenant named. With <see cref="FanoutOptions.PartialResponse"/>, 5xx/timeout failures become
/// warnings while at least one tenant answered.
/// </summary>
internal sealed partial class FanoutDispatcher
{
    private readonly UpstreamClient _client;
    private readonly FanoutOptions _options;
    private readonly SemaphoreSlim _gate;
    private readonly ILogger _logger;

    /// <summary>Creates the dispatcher (one per upstream; the concurrency bound is shared by all its requests).</summary>
    public FanoutDispatcher(UpstreamClient client, FanoutOptions options, ILogger<FanoutDispatcher> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1);
        _client = client;
        _options = options;
        _gate = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _logger = logger;
    }

    /// <summary>Sends <paramref name="requests"/>; throws <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> fires.</summary>
    public async Task<DispatchResult> DispatchAsync(IReadOnlyList<UpstreamRequest> requests, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return new DispatchResult();
        }
        using var activity = HeimdallDiagnostics.ActivitySource.StartActivity(SpanNames.Dispatch);
        activity?.SetTag("heimdall.upstream_requests", requests.Count);
        if (requests.Count == 1)
        {
            // The common case (one tenant, or a native federated request): no sibling to cancel, no thread hop.
            var single = await SendOneAsync(requests[0], cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Combine(requests, [single], activity);
        }
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var local = new SemaphoreSlim(Math.Min(requests.Count, _options.MaxConcurrency));
        var outcomes = new Outcome[requests.Count];
        var tasks = new Task[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                await local.WaitAsync(failFast.Token).ConfigureAwait(false);
                try
                {
                    outcomes[index] = await SendOneAsync(requests[index], failFast.Token).ConfigureAwait(false);
                    if (outcomes[index].Error is not null && !(outcomes[index].Partialable && _options.PartialResponse))
                    {
                        await failFast.CancelAsync().ConfigureAwait(false);
                    }
                }
                finally
                {
                    local.Release();
                }
            }, CancellationToken.None);
        }
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Another request failed; its outcome holds the reason.
        }
        cancellationToken.ThrowIfCancellationRequested();
        return Combine(requests, outcomes, activity);
    }

    private DispatchResult Combine(IReadOnlyList<UpstreamRequest> requests, Outcome[] outcomes, Activity? activity)
    {
        // The first hard failure decides; cancelled siblings (no outcome) are not failures of their own.
        foreach (var o in outcomes)
        {
            if (o.Error is not null && !(o.Partialable && _options.PartialResponse))
            {
                activity?.SetStatus(ActivityStatusCode.Error, o.Error);
                return DispatchResult.Fail(o.StatusCode, o.Error, o.ErrorType);
            }
        }
        var responses = new List<TenantResponse>(requests.Count);
        var warnings = new List<string>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].Error is { } error)
            {
                warnings.Add("partial result: " + error);
            }
            else if (outcomes[i].Body is { } body)
            {
                responses.Add(new TenantResponse(requests[i].Tenants, body, requests[i].Grant, outcomes[i].ContentType));
            }
        }
        if (responses.Count == 0)
        {
            var first = outcomes.First(o => o.Error is not null);
            return DispatchResult.Fail(first.StatusCode, first.Error!, first.ErrorType);
        }
        if (warnings.Count > 0)
        {
            Log.PartialResult(_logger, warnings.Count, requests.Count);
        }
        return new DispatchResult { Responses = responses, Warnings = warnings };
    }

    private async Task<Outcome> SendOneAsync(UpstreamRequest request, CancellationToken cancellationToken)
    {
        var tenants = TenantHeader.Format(request.Tenants);
        if (!await _gate.WaitAsync(_options.QueueTimeout, cancellationToken).ConfigureAwait(false))
        {
            FederationMetrics.FanoutDropped.Add(1);
            Log.Saturated(_logger, _options.MaxConcurrency);
            return Outcome.Failed(429, $"tenant {tenants}: too many concurrent upstream requests (fanout.max_concurrency={_options.MaxConcurrency}); retry later",
                partialable: false);
        }
        using var active = FederationMetrics.TrackActive();
        using var activity = HeimdallDiagnostics.ActivitySource.StartActivity(SpanNames.DispatchSingle);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("heimdall.tenants", tenants);
            activity.SetTag("heimdall.endpoint", request.Endpoint.Path);
        }
        var started = Stopwatch.GetTimestamp();
        var code = "error";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var message = _client.CreateRequest(request);
            using var response = await _client.Invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
            code = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            if (body is null)
            {
                return Outcome.Failed(502, $"tenant {tenants}: upstream response is larger than {_options.MaxResponseBytes} bytes", partialable: true);
            }
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return Outcome.Success(body, response.Content.Headers.ContentType?.ToString());
            }
            var (errorType, upstreamError) = ReadPrometheusError(body);
            Log.UpstreamFailed(_logger, tenants, status);
            activity?.SetStatus(ActivityStatusCode.Error);
            if (status >= 500)
            {
                return Outcome.Failed(502, $"tenant {tenants}: upstream answered {status}: {upstreamError}", partialable: true);
            }
            return Outcome.Failed(status, $"tenant {tenants}: {upstreamError}", partialable: false, errorType);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            code = "timeout";
            Log.UpstreamTimedOut(_logger, tenants, _options.Timeout);
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            return Outcome.Failed(504, $"tenant {tenants}: upstream did not answer within {_options.Timeout.TotalSeconds:0.###}s", partialable: true);
        }
        catch (HttpRequestException ex)
        {
            Log.UpstreamUnreachable(_logger, tenants, ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return Outcome.Failed(502, $"tenant {tenants}: upstream unreachable: {ex.Message}", partialable: true);
        }
        catch (IOException ex)
        {
            // The connection broke while the body was read (HttpIOException: ended prematurely, reset): nothing of it is used.
            Log.UpstreamBrokenOff(_logger, tenants, ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return Outcome.Failed(502, $"tenant {tenants}: upstream response broken off: {ex.Message}", partialable: true);
        }
        finally
        {
            _gate.Release();
            FederationMetrics.UpstreamRequests.Add(1, new KeyValuePair<string, object?>("code", code));
            FederationMetrics.UpstreamRequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("code", code));
        }
    }

    private async Task<byte[]?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var length = response.Content.Headers.ContentLength;
        if (length > _options.MaxResponseBytes)
        {
            return null;
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (length is { } exact)
        {
            var buffer = new byte[exact];
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer;
        }
        using var copy = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (copy.Length + n > _options.MaxResponseBytes)
            {
                return null;
            }
            copy.Write(chunk, 0, n);
        }
        return copy.ToArray();
    }

    private static (string? ErrorType, string Error) ReadPrometheusError(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
            {
                var type = doc.RootElement.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                return (type, e.GetString()!);
            }
        }
        catch (JsonException)
        {
        }
        // Not Prometheus' JSON (a proxy's page, Mimir's text/plain): show a bounded, single-line excerpt.
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 256)).ReplaceLineEndings(" ").Trim();
        return (null, text.Length == 0 ? "no error message" : text);
    }

    private readonly record struct Outcome(byte[]? Body, int StatusCode, string? Error, bool Partialable, string? ErrorType, string? ContentType = null)
    {
        public static Outcome Success(byte[] body, string? contentType) => new(body, 200, null, false, null, contentType);

        public static Outcome Failed(int status, string error, bool partialable, string? errorType = null) => new(null, status, error, partialable, errorType);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.UpstreamFailed, EventName = "UpstreamFailed", Level = LogLevel.Warning, Message = "Upstream request for tenant {Tenants} failed with status {StatusCode}")]
        public static partial void UpstreamFailed(ILogger logger, string tenants, int statusCode);

        [LoggerMessage(EventId = EventIds.UpstreamTimedOut, EventName = "UpstreamTimedOut", Level = LogLevel.Warning, Message = "Upstream request for tenant {Tenants} timed out after {Timeout}")]
        public static partial void UpstreamTimedOut(ILogger logger, string tenants, TimeSpan timeout);

        [LoggerMessage(EventId = EventIds.FanoutSaturated, EventName = "FanoutSaturated", Level = LogLevel.Warning, Message = "Fan-out saturated: fanout.max_concurrency={MaxConcurrency} reached, request refused")]
        public static partial void Saturated(ILogger logger, int maxConcurrency);

        [LoggerMessage(EventId = EventIds.PartialResult, EventName = "PartialResult", Level = LogLevel.Information, Message = "Answering with a partial result: {Failed} of {Total} upstream requests failed")]
        public static partial void PartialResult(ILogger logger, int failed, int total);

        [LoggerMessage(EventId = EventIds.UpstreamUnreachable, EventName = "UpstreamUnreachable", Level = LogLevel.Warning, Message = "Upstream for tenant {Tenants} unreachable")]
        public static partial void UpstreamUnreachable(ILogger logger, string tenants, Exception exception);

        [LoggerMessage(EventId = EventIds.UpstreamBrokenOff, EventName = "UpstreamBrokenOff", Level = LogLevel.Warning, Message = "Upstream response for tenant {Tenants} broken off")]
        public static partial void UpstreamBrokenOff(ILogger logger, string tenants, Exception exception);
    }
}
