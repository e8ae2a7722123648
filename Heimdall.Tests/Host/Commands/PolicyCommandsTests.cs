using System.Text.Json;
using Heimdall.Core.Storage;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Host.Commands;

/// <summary>The <c>heimdall migrate|tenant|policy</c> commands as a real child process, against both real stores.</summary>
public sealed class PolicyCommandsTests
{
    private const string Readme = """
        {"name": "allow-alice-read-acme", "effect": "allow",
         "subjects": [{"type": "user", "id": "alice@acme.com"}, {"type": "group", "id": "sre"}],
         "actions": ["read"], "scope": {"tenants": ["acme"], "resources": ["metrics"]},
         "filters": ["env=\"prod\"", "team=~\"a|b\""]}
        """;

    private static Task<ProcessRunner.Result> Heimdall(TestDatabase db, string? stdin, params string[] args) =>
        HeimdallCliRunner.RunAsync([.. args, "--database-driver", db.Options.Driver, "--database-dsn", db.Options.Dsn], stdin,
            environment: new Dictionary<string, string> { ["HEIMDALL_CONFIG"] = "" });

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ManagesTenantsAndPolicies_EndToEnd(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);

        var migrate = await Heimdall(db, null, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.StdErr);
        Assert.Contains("schema version 1", migrate.StdOut);
        Assert.Equal(0, (await Heimdall(db, null, "tenant", "create", "acme", "Acme Corp")).ExitCode);

        var created = await Heimdall(db, Readme, "policy", "create", "-");
        Assert.True(created.ExitCode == 0, created.StdErr);
        var list = await Heimdall(db, null, "policy", "list", "--tenant", "acme", "--output", "json");
        var policies = JsonDocument.Parse(list.StdOut).RootElement;
        Assert.Equal("allow-alice-read-acme", policies[0].GetProperty("name").GetString());
        Assert.Equal("team=~\"a|b\"", policies[0].GetProperty("filters")[1].GetString());

        var table = await Heimdall(db, null, "tenant", "list");
        Assert.Matches(@"(?m)^acme\s+Acme Corp$", table.StdOut);
        var yaml = await Heimdall(db, null, "policy", "get", "allow-alice-read-acme", "-o", "yaml");
        Assert.Contains("name: allow-alice-read-acme", yaml.StdOut);

        // Export, change the store, import: the store is back to the export (GitOps round trip).
        var export = await Heimdall(db, null, "policy", "export");
        Assert.Equal(0, export.ExitCode);
        Assert.Equal(0, (await Heimdall(db, null, "policy", "delete", "allow-alice-read-acme")).ExitCode);
        Assert.NotEqual(0, (await Heimdall(db, null, "policy", "get", "allow-alice-read-acme")).ExitCode);
        var import = await Heimdall(db, export.StdOut, "policy", "import", "-");
        Assert.True(import.ExitCode == 0, import.StdErr);
        Assert.Equal(export.StdOut, (await Heimdall(db, null, "policy", "export")).StdOut);

        Assert.NotEqual(0, (await Heimdall(db, null, "tenant", "delete", "acme")).ExitCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task FailsWithEveryValidationError_AndWritesNothing(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        Assert.Equal(0, (await Heimdall(db, null, "tenant", "create", "acme", "Acme")).ExitCode);
        var batch = "[" + Readme + """
            ,{"name": "bad", "effect": "deny", "subjects": [{"type": "user", "id": "x"}], "actions": ["reed"],
              "scope": {"tenants": ["acme"], "resources": ["metrics"]}, "filters": ["env=prod"]}]
            """;

        var result = await Heimdall(db, batch, "policy", "create", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("policy \"bad\": actions[0]: unknown action \"reed\"", result.StdErr);
        Assert.Contains("policy \"bad\": filters[0]", result.StdErr);
        Assert.Contains("policy \"bad\": filters: a deny policy cannot have filters", result.StdErr);
        Assert.Contains("nothing was written", result.StdErr);
        await using var store = await db.OpenStoreAsync();
        Assert.Empty((await store.LoadSnapshotAsync()).Policies);

        var validate = await Heimdall(db, batch, "policy", "validate", "-");
        Assert.NotEqual(0, validate.ExitCode);
        Assert.Contains("actions[0]", validate.StdErr);
        Assert.Equal(0, (await Heimdall(db, Readme, "policy", "validate", "-")).ExitCode);
        Assert.NotEqual(0, (await Heimdall(db, null, "tenant", "create", "a|b", "x")).ExitCode);
    }

    [Fact]
    public async Task ReadsTheDatabase_FromConfigFileAndEnvironment()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        var dir = Path.GetDirectoryName(db.Options.Dsn)!;
        var config = Path.Combine(dir, "config.yaml");
        await File.WriteAllTextAsync(config, $"database:\n  driver: sqlite\n  dsn: {Path.Combine(dir, "from-file.db")}\n");

        Assert.Equal(0, (await HeimdallCliRunner.RunAsync(["tenant", "create", "fromfile", "F", "--config", config])).ExitCode);
        var env = new Dictionary<string, string> { ["HEIMDALL_DATABASE_DSN"] = db.Options.Dsn };
        Assert.Equal(0, (await HeimdallCliRunner.RunAsync(["tenant", "create", "fromenv", "E", "--config", config], environment: env)).ExitCode);

        await using (var fileStore = PolicyStores.Create(new PolicyStoreOptions { Dsn = Path.Combine(dir, "from-file.db") }))
        {
            Assert.Equal(["fromfile"], (await fileStore.LoadSnapshotAsync()).Tenants.Select(t => t.Id));
        }
        await using var envStore = await db.OpenStoreAsync();
        Assert.Equal(["fromenv"], (await envStore.LoadSnapshotAsync()).Tenants.Select(t => t.Id));
    }
}
