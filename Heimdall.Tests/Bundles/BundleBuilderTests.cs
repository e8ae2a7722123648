using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using Heimdall.Core.Bundles;
using Heimdall.Core.Policy;
using Heimdall.Tests.Common;
using Heimdall.Tests.Policy;
using static Heimdall.Tests.Policy.PolicyFixtures;

namespace Heimdall.Tests.Bundles;

public sealed class BundleBuilderTests
{
    private static readonly PolicySnapshot s_snapshot = Snapshot(
        Allow("b-sre", [Group("sre")], ["read", "write"], ["*"], "env=\"prod\""),
        Deny("a-deny", [User("mallory")], ["*"], ["acme"]),
        Allow("c-alice", [User("alice@acme.com")], ["read"], ["acme", "globex"], "team=~\"a|b\"", "__name__!=\"secret\"")) with { Revision = 7 };

    [Fact]
    public void BuildsIdenticalBytes_ForTheSameState()
    {
        var first = BundleBuilder.Build(s_snapshot);
        var reordered = s_snapshot with
        {
            Revision = 8,
            Tenants = [.. s_snapshot.Tenants.Reverse()],
            Policies = [.. s_snapshot.Policies.Reverse()],
        };
        var second = BundleBuilder.Build(reordered);

        Assert.Equal(first.Content.ToArray(), second.Content.ToArray());
        Assert.Equal(first.Revision, second.Revision);
        Assert.Equal(first.ETag, second.ETag);
    }

    [Fact]
    public void ChangesTheRevision_WhenAPolicyChanges()
    {
        var before = BundleBuilder.Build(s_snapshot);
        var after = BundleBuilder.Build(s_snapshot with { Policies = [.. s_snapshot.Policies.Skip(1)] });

        Assert.NotEqual(before.Revision, after.Revision);
        Assert.NotEqual(before.Content.ToArray(), after.Content.ToArray());
    }

    [Fact]
    public void WritesSortedEntries_WithFixedMetadata()
    {
        var entries = BundleReader.Read(BundleBuilder.Build(s_snapshot).Content);

        Assert.Equal(["/.manifest", "/data.json", "/heimdall/authz.rego"], entries.Select(e => e.Entry.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(TarEntryType.RegularFile, e.Entry.EntryType);
            Assert.Equal(DateTimeOffset.UnixEpoch, e.Entry.ModificationTime);
            Assert.Equal(0, e.Entry.Uid);
            Assert.Equal(0, e.Entry.Gid);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, e.Entry.Mode);
        });
    }

    [Fact]
    public void WritesAManifest_WithTheDataHashAndTheHeimdallRoot()
    {
        var bundle = BundleBuilder.Build(s_snapshot);
        var entries = BundleReader.Read(bundle.Content);
        var data = entries.Single(e => e.Entry.Name == "/data.json").Content;

        var manifest = JsonDocument.Parse(entries.Single(e => e.Entry.Name == "/.manifest").Content).RootElement;

        var sha = Convert.ToHexStringLower(SHA256.HashData(data));
        Assert.Equal(sha, manifest.GetProperty("revision").GetString());
        Assert.Equal(sha, bundle.Revision);
        Assert.Equal("\"" + sha + "\"", bundle.ETag);
        Assert.Equal(["heimdall"], manifest.GetProperty("roots").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(7, bundle.SnapshotRevision);
    }

    [Fact]
    public void WritesTheDataUnderHeimdall_PoliciesByNameAndTenantsById()
    {
        var entries = BundleReader.Read(BundleBuilder.Build(s_snapshot).Content);

        var root = JsonDocument.Parse(entries.Single(e => e.Entry.Name == "/data.json").Content).RootElement;

        Assert.Equal(["heimdall"], root.EnumerateObject().Select(p => p.Name));
        var heimdall = root.GetProperty("heimdall");
        Assert.Equal(["acme", "globex", "initech"], heimdall.GetProperty("tenants").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Acme", heimdall.GetProperty("tenants").GetProperty("acme").GetProperty("name").GetString());
        var policies = heimdall.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(["a-deny", "b-sre", "c-alice"], policies.Select(p => p.GetProperty("name").GetString()));
        var alice = policies[2];
        Assert.Equal("allow", alice.GetProperty("effect").GetString());
        Assert.Equal("user", alice.GetProperty("subjects")[0].GetProperty("type").GetString());
        Assert.Equal("alice@acme.com", alice.GetProperty("subjects")[0].GetProperty("id").GetString());
        Assert.Equal(["acme", "globex"], alice.GetProperty("scope").GetProperty("tenants").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["metrics"], alice.GetProperty("scope").GetProperty("resources").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["team=~\"a|b\"", "__name__!=\"secret\""], alice.GetProperty("filters").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(policies[0].GetProperty("filters").EnumerateArray());
    }

    [Fact]
    public void CarriesTheRepositorysRegoPolicy()
    {
        var entries = BundleReader.Read(BundleBuilder.Build(PolicySnapshot.Empty).Content);

        var rego = entries.Single(e => e.Entry.Name == "/heimdall/authz.rego").Content;

        Assert.Equal(File.ReadAllBytes(RepoPaths.Combine("opa", "heimdall", "authz.rego")), rego);
        Assert.Contains("package heimdall.authz", System.Text.Encoding.UTF8.GetString(rego));
    }

    [Fact]
    public void BuildsDeterministically_ForGeneratedSnapshots()
    {
        var generator = new PolicyGenerator(seed: 7);
        for (var i = 0; i < 50; i++)
        {
            var snapshot = generator.NextSnapshot(i);
            Assert.Equal(BundleBuilder.Build(snapshot).Content.ToArray(), BundleBuilder.Build(snapshot with { Revision = i + 100 }).Content.ToArray());
        }
    }
}
