using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Heimdall.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Heimdall.Core.Policy;

/// <summary>
/// Asks OPA through its REST data API, one call per request for all tenants:
/// <c>POST {url}/v1/data/heimdall/authz/decision {"input": ...}</c> (DESIGN §6). Each call has a timeout; only
/// connection errors are retried, a bounded number of times. Anything else — a timeout, a non-200 status, an
/// undefined decision, a malformed answer — fails closed with <see cref="AuthorizationResult.Unavailable"/>.
/// </summary>
internal sealed partial class OpaPolicyEvaluator : IPolicyEvaluator
{
    /// <summary>The decision's path under OPA's data API.</summary>
    public const string DecisionPath = "v1/data/heimdall/authz/decision";

    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    private readonly HttpClient _client;
    private readonly OpaOptions _options;
    private readonly Uri _decisionUri;
    private readonly ILogger _logger;

    public OpaPolicyEvaluator(HttpClient client, OpaOptions options, ILogger<OpaPolicyEvaluator> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.Url is not { IsAbsoluteUri: true } url || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("opa.url must be an absolute http or https URL", nameof(options));
        }
        _client = client;
        _options = options;
        _logger = logger;
        var baseUri = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        _decisionUri = new Uri(baseUri, DecisionPath);
    }

    public async ValueTask<AuthorizationResult> EvaluateAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = HeimdallDiagnostics.ActivitySource.StartActivity(SpanNames.EvaluateTenants);
        activity?.SetTag("heimdall.evaluator", PolicyMetrics.OpaEvaluator);
        var start = PolicyMetrics.EvaluationDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        if (request.Tenants.Count == 0)
        {
            return AuthorizationResult.Success(new Dictionary<string, TenantDecision>());
        }

        var body = WriteInput(request);
        string error;
        for (var attempt = 0; ; attempt++)
        {
            var outcome = await CallAsync(body, request.Tenants, cancellationToken).ConfigureAwait(false);
            if (outcome.Decisions is not null)
            {
                PolicyMetrics.RecordEvaluation(PolicyMetrics.OpaEvaluator, succeeded: true, start);
                return AuthorizationResult.Success(outcome.Decisions);
            }
            error = outcome.Error!;
            if (!outcome.Retryable || attempt >= _options.MaxRetries)
            {
                break;
            }
            Log.Retrying(_logger, attempt + 1, _options.MaxRetries, error);
            await Task.Delay(_options.RetryDelay, cancellationToken).ConfigureAwait(false);
        }
        Log.Unavailable(_logger, error);
        PolicyMetrics.RecordEvaluation(PolicyMetrics.OpaEvaluator, succeeded: false, start);
        activity?.SetStatus(ActivityStatusCode.Error, error);
        return AuthorizationResult.Unavailable(error);
    }

    private async Task<Outcome> CallAsync(byte[] body, IReadOnlyList<string> tenants, CancellationToken cancellationToken)
    {
        using var activity = HeimdallDiagnostics.ActivitySource.StartActivity(SpanNames.OpaEvaluate);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, _decisionUri)
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = s_json } },
            };
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Outcome.Fail($"OPA answered {(int)response.StatusCode} {response.ReasonPhrase}", retryable: false);
            }
            var payload = await ReadLimitedAsync(response.Content, timeout.Token).ConfigureAwait(false);
            if (payload is null)
            {
                return Outcome.Fail($"OPA's answer is larger than {_options.MaxResponseBytes} bytes", retryable: false);
            }
            var decisions = OpaDecisionReader.Read(payload, tenants, out var error);
            if (decisions is null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, error);
            }
            return decisions is null ? Outcome.Fail(error!, retryable: false) : new Outcome(decisions, null, false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            return Outcome.Fail($"OPA did not answer within {_options.Timeout.TotalMilliseconds:0} ms", retryable: false);
        }
        catch (HttpRequestException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            return Outcome.Fail("OPA is unreachable: " + e.Message, retryable: e.HttpRequestError == HttpRequestError.ConnectionError);
        }
        catch (IOException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            return Outcome.Fail("reading OPA's answer failed: " + e.Message, retryable: false);
        }
    }

    private async Task<byte[]?> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > _options.MaxResponseBytes)
        {
            return null;
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int n;
            while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > _options.MaxResponseBytes)
                {
                    return null;
                }
                buffer.Write(chunk, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    /// <summary>The request body: <c>{"input": {"subject": {"user", "groups"}, "tenants", "action", "resource"}}</c>.</summary>
    internal static byte[] WriteInput(AuthorizationRequest request)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("input");
            writer.WriteStartObject("subject");
            writer.WriteString("user", request.User);
            writer.WriteStartArray("groups");
            foreach (var group in request.Groups)
            {
                writer.WriteStringValue(group);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartArray("tenants");
            foreach (var tenant in request.Tenants)
            {
                writer.WriteStringValue(tenant);
            }
            writer.WriteEndArray();
            writer.WriteString("action", request.Action);
            writer.WriteString("resource", request.Resource);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    private readonly record struct Outcome(Dictionary<string, TenantDecision>? Decisions, string? Error, bool Retryable)
    {
        public static Outcome Fail(string error, bool retryable) => new(null, error, retryable);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.OpaRetrying, Level = LogLevel.Warning, Message = "OPA call failed (retry {Attempt} of {MaxRetries}): {Error}")]
        public static partial void Retrying(ILogger logger, int attempt, int maxRetries, string error);

        [LoggerMessage(EventId = EventIds.DecisionUnavailable, Level = LogLevel.Error, Message = "No policy decision, failing closed: {Error}")]
        public static partial void Unavailable(ILogger logger, string error);
    }
}
