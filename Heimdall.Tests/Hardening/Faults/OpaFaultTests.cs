using System.Net;
using System.Text.Json.Nodes;
using Heimdall.Tests.Common;
using Heimdall.Tests.Policy;
using Microsoft.AspNetCore.Http;

namespace Heimdall.Tests.Hardening.Faults;

/// <summary>
/// OPA down, slow or answering garbage: every request fails closed with 503 and no data, never unfiltered data.
/// OPA cannot run on this machine (no <c>opa</c> binary), so a loopback Kestrel answers its decision API as
/// DESIGN §6 records it (<see cref="OpaStandIn"/>); the gateway, its OPA client, the JWT stack and the upstream (a real
/// Prometheus) are the real ones. The decision cache is off, so every request asks OPA.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class OpaFaultTests(FaultsFixture fixture)
{
    /// <summary>What the stand-in answers: alice's grant, <c>env="prod"</c>, for every tenant asked.</summary>
    private static async Task AnswerProdAsync(HttpContext context, string body)
    {
        var tenants = JsonNode.Parse(body)!["input"]!["tenants"]!.AsArray().Select(t => t!.GetValue<string>());
        var result = new JsonObject();
        foreach (var tenant in tenants)
        {
            result[tenant] = new JsonObject { ["allow"] = true, ["filters"] = new JsonArray(new JsonArray("env=\"prod\"")) };
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["result"] = result }.ToJsonString());
    }

    public static TheoryData<string, string> Faults => new()
    {
        { "slow", "did not answer within 2000 ms" },
        { "status 500", "OPA answered 500" },
        { "not JSON", "malformed JSON" },
        { "truncated JSON", "malformed JSON" },
        { "undefined decision", "undefined" },
        { "decision for another tenant", "no entry for tenant \"acme\"" },
        { "allow is a string", "malformed" },
        { "filters missing", "malformed" },
        { "connection reset", "OPA" },
    };

    private static async Task AnswerFaultAsync(string fault, HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        switch (fault)
        {
            case "slow":
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
                return;
            case "status 500":
                response.StatusCode = 500;
                await response.WriteAsync("""{"code":"internal_error","message":"boom"}""");
                return;
            case "not JSON":
                await response.WriteAsync("<html>gateway error</html>");
                return;
            case "truncated JSON":
                await response.WriteAsync("""{"result":{"acme":{"allow":true,"filters":[[""");
                return;
            case "undefined decision":
                await response.WriteAsync("{}");
                return;
            case "decision for another tenant":
                await response.WriteAsync("""{"result":{"globex":{"allow":true,"filters":[[]]}}}""");
                return;
            case "allow is a string":
                await response.WriteAsync("""{"result":{"acme":{"allow":"true","filters":[[]]}}}""");
                return;
            case "filters missing":
                await response.WriteAsync("""{"result":{"acme":{"allow":true}}}""");
                return;
            case "connection reset":
                context.Abort();
                return;
        }
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Returns503WithoutData_WhenOpaMisbehaves(string fault, string message)
    {
        string? current = null;
        await using var opa = await OpaStandIn.StartAsync((context, body) => current is null ? AnswerProdAsync(context, body) : AnswerFaultAsync(current, context));
        var key = TestSigningKey.Rsa();
        await using var jwks = await JwksServer.StartAsync(key);
        await using var gateway = await FaultGateway.StartAsync(FaultGateway.BaseSettings(jwks, fixture.Acme.Url, new()
        {
            ["opa:url"] = opa.Url.ToString(),
            ["opa:timeout"] = "2s",
        }));
        var token = FaultGateway.Token(key);

        // OPA answering: alice sees only prod.
        (await gateway.SendAsync(gateway.Query(token, "acme", fixture.Time))).AssertOnlyProd();
        var asked = opa.Bodies.Count;

        current = fault;
        var answer = await gateway.SendAsync(gateway.Query(token, "acme", fixture.Time));
        Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable, answer.Text);
        Assert.Contains(message, answer.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("fed_metric", answer.Text, StringComparison.Ordinal);
        Assert.True(opa.Bodies.Count > asked, "the gateway asked OPA again");

        // OPA recovers: the same request is answered again, still filtered.
        current = null;
        (await gateway.SendAsync(gateway.Query(token, "acme", fixture.Time))).AssertOnlyProd();
    }

    [Fact]
    public async Task Returns503WithoutData_WhenOpaIsDown()
    {
        var opa = await OpaStandIn.StartAsync(AnswerProdAsync);
        var key = TestSigningKey.Rsa();
        await using var jwks = await JwksServer.StartAsync(key);
        await using var gateway = await FaultGateway.StartAsync(FaultGateway.BaseSettings(jwks, fixture.Acme.Url, new()
        {
            ["opa:url"] = opa.Url.ToString(),
            ["opa:timeout"] = "2s",
        }));
        var token = FaultGateway.Token(key);
        (await gateway.SendAsync(gateway.Query(token, "acme", fixture.Time))).AssertOnlyProd();

        await opa.DisposeAsync(); // OPA goes away: connections are refused (retried, then 503)
        foreach (var query in (string[])["fed_metric", "sum by (env) (fed_metric)", "{__name__=~\".+\"}"])
        {
            var answer = await gateway.SendAsync(gateway.Query(token, "acme", fixture.Time, query));
            Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable, answer.Text);
            Assert.Contains("OPA is unreachable", answer.Error, StringComparison.Ordinal);
        }
    }
}
