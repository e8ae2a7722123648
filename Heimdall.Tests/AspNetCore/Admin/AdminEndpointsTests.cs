using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Heimdall.AspNetCore.Admin;
using Heimdall.Core.Identity;
using Heimdall.Core.Storage;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Heimdall.Tests.AspNetCore.Admin;

/// <summary>
/// The admin API on a real Kestrel (127.0.0.1:0) over real stores. Authentication uses
/// <see cref="TestHeaderAuthenticator"/>, which stands in for the JWT authenticator until integration.
/// </summary>
public sealed class AdminEndpointsTests
{
    private const string AdminGroup = "heimdall-admins";

    private sealed class Server : IAsyncDisposable
    {
        public required WebApplication App { get; init; }
        public required HttpClient Client { get; init; }
        public required CapturingLoggerProvider Logs { get; init; }
        public required TestDatabase Database { get; init; }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    private static async Task<Server> StartAsync(string kind)
    {
        var db = await TestDatabase.CreateAsync(kind);
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddSingleton<IAuthenticator, TestHeaderAuthenticator>();
        builder.Services.AddHeimdall(builder.Configuration).UsePolicyStore(db.Options);
        builder.Configuration["admin:group"] = AdminGroup;
        builder.Services.Configure<HeimdallAdminOptions>(builder.Configuration.GetSection(HeimdallAdminOptions.SectionName));
        var app = builder.Build();
        app.MapHeimdallAdmin();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add(TestHeaderAuthenticator.UserHeader, "root@example.com");
        client.DefaultRequestHeaders.Add(TestHeaderAuthenticator.GroupsHeader, "dev, " + AdminGroup);
        return new Server { App = app, Client = client, Logs = logs, Database = db };
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private const string AcmePolicy = """
        {"name": "allow-alice-read-acme", "effect": "allow",
         "subjects": [{"type": "user", "id": "alice@acme.com"}, {"type": "group", "id": "sre"}],
         "actions": ["read"], "scope": {"tenants": ["acme"], "resources": ["metrics"]},
         "filters": ["env=\"prod\"", "team=~\"a|b\""]}
        """;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ManagesTenantsAndPolicies_Lifecycle(string kind)
    {
        await using var server = await StartAsync(kind);
        var c = server.Client;

        Assert.Equal(HttpStatusCode.Created, (await c.PostAsync("/admin/v1/tenants", Body("""{"id":"acme","name":"Acme"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await c.PostAsync("/admin/v1/tenants", Body("""{"id":"acme","name":"Again"}"""))).StatusCode);
        var created = await c.PostAsync("/admin/v1/policies", Body(AcmePolicy));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var got = await JsonAsync(await c.GetAsync("/admin/v1/policies/allow-alice-read-acme"));
        Assert.Equal("success", got.GetProperty("status").GetString());
        Assert.Equal("team=~\"a|b\"", got.GetProperty("data").GetProperty("filters")[1].GetString());

        var replaced = await c.PutAsync("/admin/v1/policies/allow-alice-read-acme", Body(AcmePolicy.Replace("env=\\\"prod\\\"", "env=\\\"dev\\\"")));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var list = await JsonAsync(await c.GetAsync("/admin/v1/policies?tenant=acme"));
        Assert.Equal("env=\"dev\"", list.GetProperty("data")[0].GetProperty("filters")[0].GetString());
        Assert.Equal(0, (await JsonAsync(await c.GetAsync("/admin/v1/policies?tenant=globex"))).GetProperty("data").GetArrayLength());

        Assert.Equal(HttpStatusCode.Conflict, (await c.DeleteAsync("/admin/v1/tenants/acme")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.DeleteAsync("/admin/v1/policies/allow-alice-read-acme")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.DeleteAsync("/admin/v1/policies/allow-alice-read-acme")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.PutAsync("/admin/v1/tenants/acme", Body("""{"name":"Acme Corp"}"""))).StatusCode);
        Assert.Equal("Acme Corp", (await JsonAsync(await c.GetAsync("/admin/v1/tenants/acme"))).GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await c.DeleteAsync("/admin/v1/tenants/acme")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/admin/v1/tenants/acme")).StatusCode);

        // Every change is an audit event with who, what, before and after.
        var audit = server.Logs.Entries.Where(e => e.Category == AdminAudit.Category).Select(e => e.Message).ToList();
        Assert.Equal(6, audit.Count);
        Assert.Contains(audit, m => m.Contains("root@example.com") && m.Contains("replace policy \"allow-alice-read-acme\"")
            && m.Contains("env=\\\"prod\\\"") && m.Contains("env=\\\"dev\\\""));
        Assert.Contains(audit, m => m.Contains("delete tenant \"acme\"") && m.Contains("after: null"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Returns400WithFieldErrors_AndWritesNothing(string kind)
    {
        await using var server = await StartAsync(kind);
        await server.Client.PostAsync("/admin/v1/tenants", Body("""{"id":"acme"}"""));
        var batch = "[" + AcmePolicy + """
            ,{"name": "bad", "effect": "deny", "subjects": [{"type": "robot", "id": "x"}], "actions": ["read"],
              "scope": {"tenants": ["acme"], "resources": ["metrics"]}, "filters": ["env=\"prod\""]}]
            """;

        var response = await server.Client.PostAsync("/admin/v1/policies", Body(batch));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonAsync(response);
        Assert.Equal("error", error.GetProperty("status").GetString());
        Assert.Equal("bad_data", error.GetProperty("errorType").GetString());
        var details = error.GetProperty("details").EnumerateArray().Select(d => (d.GetProperty("policy").GetString(), d.GetProperty("field").GetString())).ToList();
        Assert.Contains(("bad", "subjects[0].type"), details);
        Assert.Contains(("bad", "filters"), details);
        var policies = await JsonAsync(await server.Client.GetAsync("/admin/v1/policies"));
        Assert.Equal(0, policies.GetProperty("data").GetArrayLength());

        var unknownTenant = await server.Client.PostAsync("/admin/v1/policies", Body(AcmePolicy.Replace("\"acme\"", "\"globex\"")));
        Assert.Equal(HttpStatusCode.BadRequest, unknownTenant.StatusCode);
        Assert.Contains("scope.tenants[0]", await unknownTenant.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.PostAsync("/admin/v1/tenants", Body("""{"id":".."}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.PostAsync("/admin/v1/policies", Body("{not json"))).StatusCode);
    }

    [Fact]
    public async Task RefusesCallers_OutsideTheAdminGroup()
    {
        await using var server = await StartAsync("sqlite");
        using var anonymous = new HttpClient { BaseAddress = server.Client.BaseAddress };
        var unauthenticated = await anonymous.GetAsync("/admin/v1/tenants");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.True(unauthenticated.Headers.WwwAuthenticate.Count > 0);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/v1/tenants") { Content = Body("""{"id":"acme"}""") };
        request.Headers.Add(TestHeaderAuthenticator.UserHeader, "mallory");
        request.Headers.Add(TestHeaderAuthenticator.GroupsHeader, "sre,heimdall-admins-not");
        var forbidden = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("forbidden", (await JsonAsync(forbidden)).GetProperty("errorType").GetString());
        Assert.Equal(0, (await JsonAsync(await server.Client.GetAsync("/admin/v1/tenants"))).GetProperty("data").GetArrayLength());
    }
}
