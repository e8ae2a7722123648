using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>
/// The admin API of the real <c>heimdall serve</c> process over its SQLite store: SQL-injection strings in every
/// field and parameter, oversized and partly invalid batches, invalid filters. Invalid input is a 400 listing the
/// fields and writes nothing; free text is stored verbatim; the store (and the policies in force) stay intact.
/// </summary>
[Collection(AdversarialCollection.Name)]
public sealed class AdminApiAttackTests(AdversarialFixture fixture)
{
    private static readonly string[] s_injections =
    [
        "' OR '1'='1", "x'; DROP TABLE policies; --", "\"; DELETE FROM tenants; --", "1; UPDATE policies SET effect='allow'",
        "') UNION SELECT name, name FROM sqlite_master --", "acme' --",
    ];

    private static JsonObject ValidPolicy(string name) => new()
    {
        ["name"] = name, ["effect"] = "allow",
        ["subjects"] = new JsonArray(new JsonObject { ["type"] = "user", ["id"] = "nobody-" + name }),
        ["actions"] = new JsonArray("read"),
        ["scope"] = new JsonObject { ["tenants"] = new JsonArray("acme"), ["resources"] = new JsonArray("metrics") },
        ["filters"] = new JsonArray("env=\"prod\""),
    };

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = fixture.Request(method, path, fixture.Admin());
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return await fixture.SendAsync(request);
    }

    /// <summary>Every policy and tenant, as stored (for before/after comparison).</summary>
    private async Task<string> StateAsync()
    {
        var policies = await SendAsync(HttpMethod.Get, "/admin/v1/policies");
        var tenants = await SendAsync(HttpMethod.Get, "/admin/v1/tenants");
        Assert.Equal(HttpStatusCode.OK, policies.Status);
        Assert.Equal(HttpStatusCode.OK, tenants.Status);
        return JsonNode.Parse(policies.Body)!["data"]!.ToJsonString() + JsonNode.Parse(tenants.Body)!["data"]!.ToJsonString();
    }

    public static TheoryData<string, string> ValidatedFields()
    {
        var data = new TheoryData<string, string>();
        foreach (var injection in s_injections)
        {
            foreach (var field in new[] { "effect", "subjects[0].type", "actions[0]", "scope.tenants[0]", "scope.resources[0]", "filters[0]" })
            {
                data.Add(field, injection);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidatedFields))]
    public async Task Refuses400AndWritesNothing_ForInjectionInValidatedField(string field, string injection)
    {
        var before = await StateAsync();
        var policy = ValidPolicy("inj-" + Guid.NewGuid().ToString("N")[..8]);
        switch (field)
        {
            case "effect": policy["effect"] = injection; break;
            case "subjects[0].type": policy["subjects"]![0]!["type"] = injection; break;
            case "actions[0]": policy["actions"]![0] = injection; break;
            case "scope.tenants[0]": policy["scope"]!["tenants"]![0] = injection; break;
            case "scope.resources[0]": policy["scope"]!["resources"]![0] = injection; break;
            default: policy["filters"]![0] = injection; break;
        }
        var answer = await SendAsync(HttpMethod.Post, "/admin/v1/policies", policy.ToJsonString());
        PrometheusAnswer.AssertError(answer, HttpStatusCode.BadRequest, "bad_data");
        var details = JsonNode.Parse(answer.Body)!["details"]!.AsArray();
        Assert.Contains(details, d => d!["field"]!.GetValue<string>() == field);
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData("' OR '1'='1")]
    [InlineData("x'); DROP TABLE tenants; --")]
    public async Task Refuses400_ForInjectionInTenantId(string injection)
    {
        var before = await StateAsync();
        var answer = await SendAsync(HttpMethod.Post, "/admin/v1/tenants", JsonSerializer.Serialize(new { id = injection }));
        PrometheusAnswer.AssertError(answer, HttpStatusCode.BadRequest, "bad_data");
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task StoresVerbatim_InjectionInFreeTextFields_AndGrantsNothing()
    {
        var before = await StateAsync();
        var name = "x';DROP-TABLE-policies;--" + Guid.NewGuid().ToString("N")[..6];
        var tenant = "inj" + Guid.NewGuid().ToString("N")[..6];
        var created = await SendAsync(HttpMethod.Post, "/admin/v1/tenants", JsonSerializer.Serialize(new { id = tenant, name = s_injections[1] }));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var policy = ValidPolicy(name);
        policy["subjects"]![0]!["id"] = "' OR '1'='1";
        policy["description"] = s_injections[4];
        policy["scope"]!["tenants"]![0] = tenant;
        policy["filters"] = new JsonArray("env=\"'; DROP TABLE policies; --\"", "team=~\"' OR 1=1 --|.*\"");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/admin/v1/policies", policy.ToJsonString())).Status);
        try
        {
            var stored = JsonNode.Parse((await SendAsync(HttpMethod.Get, "/admin/v1/policies/" + Uri.EscapeDataString(name))).Body)!["data"]!;
            Assert.Equal("' OR '1'='1", stored["subjects"]![0]!["id"]!.GetValue<string>());
            Assert.Equal(s_injections[4], stored["description"]!.GetValue<string>());
            Assert.Equal("env=\"'; DROP TABLE policies; --\"", stored["filters"]![0]!.GetValue<string>());
            var storedTenant = JsonNode.Parse((await SendAsync(HttpMethod.Get, "/admin/v1/tenants/" + tenant)).Body)!["data"]!;
            Assert.Equal(s_injections[1], storedTenant["name"]!.GetValue<string>());
            // The policy names a user "' OR '1'='1": alice gains nothing on the new tenant.
            var answer = await fixture.QueryAsync("alice", "hm_metric", tenant);
            PrometheusAnswer.AssertError(answer, HttpStatusCode.Forbidden, "forbidden");
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "/admin/v1/policies/" + Uri.EscapeDataString(name))).Status);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "/admin/v1/tenants/" + tenant)).Status);
        }
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData("' OR '1'='1")]
    [InlineData("acme' --")]
    [InlineData("*")]
    [InlineData("%")]
    public async Task MatchesNothing_ForInjectionInFilterAndPathParameters(string injection)
    {
        var before = await StateAsync();
        var list = await SendAsync(HttpMethod.Get, "/admin/v1/policies?tenant=" + Uri.EscapeDataString(injection));
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var listed = JsonNode.Parse(list.Body)!["data"]!.AsArray();
        // Only policies whose scope is literally that tenant (or "*") may be listed: there are none.
        Assert.Empty(listed);
        foreach (var path in new[] { "/admin/v1/policies/", "/admin/v1/tenants/" })
        {
            PrometheusAnswer.AssertError(await SendAsync(HttpMethod.Get, path + Uri.EscapeDataString(injection)), HttpStatusCode.NotFound, "not_found");
            var deleted = await SendAsync(HttpMethod.Delete, path + Uri.EscapeDataString(injection));
            Assert.True(deleted.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, deleted.Body);
        }
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Refuses413_ForOversizedBatch_AndWritesNothing()
    {
        var before = await StateAsync();
        var one = ValidPolicy("big").ToJsonString();
        var sb = new StringBuilder("[");
        for (var i = 0; sb.Length < 17 * 1024 * 1024; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append(one.Replace("\"big\"", $"\"big-{i}\"", StringComparison.Ordinal));
        }
        var answer = await SendAsync(HttpMethod.Post, "/admin/v1/policies", sb.Append(']').ToString());
        PrometheusAnswer.AssertError(answer, HttpStatusCode.RequestEntityTooLarge, "bad_data");
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Refuses400AndWritesNothing_ForLargeBatchWithOneInvalidPolicy()
    {
        var before = await StateAsync();
        var batch = new JsonArray([.. Enumerable.Range(0, 2000).Select(i => (JsonNode)ValidPolicy("batch-" + i))]);
        batch[1234]!["filters"] = new JsonArray("env=prod");
        var answer = await SendAsync(HttpMethod.Post, "/admin/v1/policies", batch.ToJsonString());
        PrometheusAnswer.AssertError(answer, HttpStatusCode.BadRequest, "bad_data");
        var detail = Assert.Single(JsonNode.Parse(answer.Body)!["details"]!.AsArray());
        Assert.Equal("batch-1234", detail!["policy"]!.GetValue<string>());
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData("env=prod")]
    [InlineData("up")]
    [InlineData("{env=\"prod\"}")]
    [InlineData("env=\"prod\",team=\"a\"")]
    [InlineData("env=~\"(\"")]
    [InlineData("env=~\"a{1001}\"")]
    [InlineData("env==\"prod\"")]
    [InlineData("")]
    [InlineData("env=\"prod\" or vector(1)")]
    [InlineData("env=\"prod\"} or {env=~\".*\"")]
    public async Task Refuses400AndWritesNothing_ForInvalidFilter(string filter)
    {
        var before = await StateAsync();
        var policy = ValidPolicy("bad-filter");
        policy["filters"] = new JsonArray(filter);
        var answer = await SendAsync(HttpMethod.Post, "/admin/v1/policies", policy.ToJsonString());
        PrometheusAnswer.AssertError(answer, HttpStatusCode.BadRequest, "bad_data");
        Assert.Contains(JsonNode.Parse(answer.Body)!["details"]!.AsArray(), d => d!["field"]!.GetValue<string>().StartsWith("filters", StringComparison.Ordinal));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Refuses400_ForDenyWithFilters_AndUnknownFields()
    {
        var before = await StateAsync();
        var deny = ValidPolicy("deny-with-filters");
        deny["effect"] = "deny";
        PrometheusAnswer.AssertError(await SendAsync(HttpMethod.Post, "/admin/v1/policies", deny.ToJsonString()), HttpStatusCode.BadRequest, "bad_data");
        var extra = ValidPolicy("extra-field");
        extra["is_admin"] = true;
        PrometheusAnswer.AssertError(await SendAsync(HttpMethod.Post, "/admin/v1/policies", extra.ToJsonString()), HttpStatusCode.BadRequest, "bad_data");
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Refuses403_ForAuthenticatedNonAdmin()
    {
        using var request = fixture.Request(HttpMethod.Post, "/admin/v1/tenants", fixture.Bearer("alice"));
        request.Content = new StringContent("{\"id\":\"alice-owns-this\"}", Encoding.UTF8, "application/json");
        PrometheusAnswer.AssertError(await fixture.SendAsync(request), HttpStatusCode.Forbidden, "forbidden");
        PrometheusAnswer.AssertError(await SendAsync(HttpMethod.Get, "/admin/v1/tenants/alice-owns-this"), HttpStatusCode.NotFound, "not_found");
    }
}
