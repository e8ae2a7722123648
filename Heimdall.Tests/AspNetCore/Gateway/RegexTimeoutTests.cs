using System.Net;
using System.Text.Json;
using Heimdall.Core.Policy;

namespace Heimdall.Tests.AspNetCore.Gateway;

/// <summary>
/// A regex too large for the non-backtracking engine runs on the backtracking one under a match timeout; a pattern
/// that also backtracks catastrophically must end in a clear refusal, never a 500 or an answer.
/// </summary>
public class RegexTimeoutTests
{
    [Fact]
    public async Task Refuses422_WhenATenantSelectingRegexTimesOut()
    {
        var slowTenant = new string('a', 40);
        await using var host = await GatewayHost.StartAsync(new()
        {
            ["mimir:url"] = "http://127.0.0.1:9",
            ["federation:strategy"] = "fanout",
        });
        host.Policy.Table[("alice", PolicyActions.Read)] = new()
        {
            [slowTenant] = TenantDecision.Unrestricted,
            ["b"] = TenantDecision.Unrestricted,
        };
        // Thousands of alternatives exceed the non-backtracking automaton; (a+)+c backtracks exponentially on a run of a's.
        var alternatives = string.Join("|", Enumerable.Range(0, 4000).Select(i => "t" + i));
        var query = $"up{{__tenant_id__=~\"{alternatives}|(a+)+c\"}}";
        var form = new FormUrlEncodedContent([new("query", query), new("time", "1700000000")]);

        var response = await host.Client.SendAsync(host.Request(HttpMethod.Post, "/api/v1/query", tenants: slowTenant + "|b", content: form));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", body.GetProperty("status").GetString());
        Assert.Contains("regular expression took too long", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
