using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Heimdall.Core.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using static Heimdall.Tests.Policy.PolicyFixtures;

namespace Heimdall.Tests.Policy;

/// <summary>
/// The OPA client against a real HTTP server on loopback that stands in for OPA (no <c>opa</c> binary can run
/// here); the answers are OPA's documented shapes (DESIGN §6) and faults.
/// </summary>
public sealed class OpaPolicyEvaluatorTests
{
    private static readonly OpaOptions s_options = new() { Timeout = TimeSpan.FromSeconds(10), MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public async Task ReturnsOpasDecisions_AfterOneCallForAllTenants()
    {
        await using var opa = await OpaStandIn.StartAsync((context, _) => Json(context,
            """{"result":{"acme":{"allow":true,"filters":[["env=\"prod\""],["team=\"a\"","x!=\"y\""]]},"globex":{"allow":false,"filters":[]},"initech":{"allow":true,"filters":[[]]}}}"""));
        var (evaluator, counter) = Create(opa.Url);

        var result = await evaluator.EvaluateAsync(Request("alice", ["sre", "dev"], ["acme", "globex", "initech"], "rules:read"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("allow [[env=\"prod\"],[team=\"a\",x!=\"y\"]]", Show(result.Decisions["acme"]));
        Assert.Equal("deny", Show(result.Decisions["globex"]));
        Assert.True(result.Decisions["initech"].IsUnrestricted);
        Assert.Equal(1, counter.Attempts);
        var input = JsonDocument.Parse(Assert.Single(opa.Bodies)).RootElement.GetProperty("input");
        Assert.Equal("alice", input.GetProperty("subject").GetProperty("user").GetString());
        Assert.Equal(["sre", "dev"], input.GetProperty("subject").GetProperty("groups").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["acme", "globex", "initech"], input.GetProperty("tenants").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("rules:read", input.GetProperty("action").GetString());
        Assert.Equal("metrics", input.GetProperty("resource").GetString());
    }

    [Theory]
    [InlineData("{}", "undefined")]
    [InlineData("not json", "malformed JSON")]
    [InlineData("[1]", "not an object")]
    [InlineData("""{"result":true}""", "not an object keyed by tenant")]
    [InlineData("""{"result":{"globex":{"allow":true,"filters":[[]]}}}""", "no entry for tenant \"acme\"")]
    [InlineData("""{"result":{"acme":{"allow":"yes","filters":[[]]}}}""", "\"allow\" is missing or not a boolean")]
    [InlineData("""{"result":{"acme":{"allow":true}}}""", "\"filters\" is missing")]
    [InlineData("""{"result":{"acme":{"allow":true,"filters":["env=\"prod\""]}}}""", "not an array")]
    [InlineData("""{"result":{"acme":{"allow":true,"filters":[[1]]}}}""", "not a string")]
    [InlineData("""{"result":{"acme":{"allow":true,"filters":[]}}}""", "no filter alternative")]
    [InlineData("""{"result":{"acme":{"allow":true,"filters":[[],[2]]}}}""", "not a string")]
    public async Task FailsClosed_OnAMalformedAnswer(string answer, string expectedError)
    {
        await using var opa = await OpaStandIn.StartAsync((context, _) => Json(context, answer));
        var (evaluator, counter) = Create(opa.Url);

        var result = await evaluator.EvaluateAsync(Request("alice", [], ["acme"]));

        Assert.False(result.Succeeded);
        Assert.Contains(expectedError, result.Error);
        Assert.Empty(result.Decisions);
        Assert.Equal(1, counter.Attempts);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(400)]
    [InlineData(404)]
    public async Task FailsClosedWithoutRetry_OnAnErrorStatus(int status)
    {
        await using var opa = await OpaStandIn.StartAsync((context, _) =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsync("""{"code":"internal_error"}""");
        });
        var (evaluator, counter) = Create(opa.Url);

        var result = await evaluator.EvaluateAsync(Request("alice", [], ["acme"]));

        Assert.False(result.Succeeded);
        Assert.Contains($"OPA answered {status}", result.Error);
        Assert.Equal(1, counter.Attempts);
    }

    [Fact]
    public async Task FailsClosed_WhenOpaIsTooSlow()
    {
        var release = new TaskCompletionSource();
        await using var opa = await OpaStandIn.StartAsync(async (context, _) =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30), context.RequestAborted);
            await Json(context, """{"result":{"acme":{"allow":true,"filters":[[]]}}}""");
        });
        var (evaluator, counter) = Create(opa.Url, s_options with { Timeout = TimeSpan.FromMilliseconds(300) });

        var result = await evaluator.EvaluateAsync(Request("alice", [], ["acme"]));
        release.SetResult();

        Assert.False(result.Succeeded);
        Assert.Contains("did not answer within 300 ms", result.Error);
        Assert.Equal(1, counter.Attempts);
    }

    [Fact]
    public async Task RetriesThenFailsClosed_WhenTheConnectionIsRefused()
    {
        var url = new Uri($"http://127.0.0.1:{UnusedPort()}/");
        var (evaluator, counter) = Create(url);

        var result = await evaluator.EvaluateAsync(Request("alice", [], ["acme"]));

        Assert.False(result.Succeeded);
        Assert.Contains("OPA is unreachable", result.Error);
        Assert.Equal(1 + s_options.MaxRetries, counter.Attempts);
    }

    [Fact]
    public async Task Succeeds_WhenARetryReachesOpa()
    {
        await using var opa = await OpaStandIn.StartAsync((context, _) => Json(context, """{"result":{"acme":{"allow":true,"filters":[[]]}}}"""));
        var refusedOnce = 0;
        var (evaluator, counter) = Create(opa.Url, s_options, beforeSend: () =>
        {
            if (Interlocked.Exchange(ref refusedOnce, 1) == 0)
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused (injected)");
            }
        });

        var result = await evaluator.EvaluateAsync(Request("alice", [], ["acme"]));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, counter.Attempts);
    }

    [Fact]
    public async Task FailsClosed_WhenTheAnswerIsTooLarge()
    {
        await using var opa = await OpaStandIn.StartAsync((context, _) => Json(context, "{\"result\":{\"acme\":{\"allow\":true,\"filters\":[[\"" + new string('a', 5000) + "\"]]}}}"));
        var (evaluator, _) = Create(opa.Url, s_options with { MaxResponseBytes = 1000 });

        var result = await evaluator.EvaluateAsync(Request("alice", [], ["acme"]));

        Assert.False(result.Succeeded);
        Assert.Contains("larger than 1000 bytes", result.Error);
    }

    [Fact]
    public async Task FailsClosed_WhenOpaDropsTheConnection()
    {
        await using var opa = await OpaStandIn.StartAsync((context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        var (evaluator, _) = Create(opa.Url);

        var result = await evaluator.EvaluateAsync(Request("alice", [], ["acme"]));

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public void RefusesAUrlThatIsNotHttp()
    {
        Assert.Throws<ArgumentException>(() => new OpaPolicyEvaluator(new HttpClient(), new OpaOptions { Url = new Uri("file:///tmp/opa") },
            NullLogger<OpaPolicyEvaluator>.Instance));
        Assert.Throws<ArgumentException>(() => new OpaPolicyEvaluator(new HttpClient(), new OpaOptions(), NullLogger<OpaPolicyEvaluator>.Instance));
    }

    private static Task Json(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    private static (OpaPolicyEvaluator Evaluator, CountingHandler Counter) Create(Uri url, OpaOptions? options = null, Action? beforeSend = null)
    {
        var counter = new CountingHandler(beforeSend) { InnerHandler = new SocketsHttpHandler() };
        var evaluator = new OpaPolicyEvaluator(new HttpClient(counter), (options ?? s_options) with { Url = url },
            NullLogger<OpaPolicyEvaluator>.Instance);
        return (evaluator, counter);
    }

    private static int UnusedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Counts attempts that reach the network (and can inject a connection fault before one).</summary>
    private sealed class CountingHandler(Action? beforeSend) : DelegatingHandler
    {
        private int _attempts;

        public int Attempts => _attempts;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            beforeSend?.Invoke();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
