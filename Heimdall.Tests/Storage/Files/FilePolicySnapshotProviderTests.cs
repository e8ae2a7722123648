using System.Diagnostics;
using Heimdall.Core.Storage.Files;
using Heimdall.Tests.Common;
using Microsoft.Extensions.Logging;

namespace Heimdall.Tests.Storage.Files;

public sealed class FilePolicySnapshotProviderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "heimdall-tests", Guid.NewGuid().ToString("N"));
    private readonly CapturingLoggerProvider _logs = new();

    public FilePolicySnapshotProviderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ILogger Logger => _logs.CreateLogger("test");

    private static string Policy(string name, string tenant, string filter = "env=\\\"prod\\\"") =>
        $$"""{"name": "{{name}}", "effect": "allow", "subjects": [{"type": "group", "id": "sre"}], "actions": ["read"], "scope": {"tenants": ["{{tenant}}"], "resources": ["metrics"]}, "filters": ["{{filter}}"]}""";

    // As git and editors do: write aside, then rename, so the watcher never sees half a file.
    private void Write(string name, string text)
    {
        var temp = Path.Combine(_dir, name + ".tmp");
        File.WriteAllText(temp, text);
        File.Move(temp, Path.Combine(_dir, name), overwrite: true);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), "the directory change was not picked up within 30 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task LoadsEveryFile_AndReloadsOnChange()
    {
        File.WriteAllText(Path.Combine(_dir, "a.json"), "[" + Policy("a", "acme") + "]");
        File.WriteAllText(Path.Combine(_dir, "b.yaml"), "tenants: [{id: globex, name: Globex}]\npolicies:\n  - name: b\n    effect: deny\n    subjects: [{type: user, id: eve}]\n    actions: ['*']\n    scope: {tenants: [globex], resources: ['*']}\n");
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "ignored");
        await using var provider = FilePolicySnapshotProvider.Start(_dir, Logger, TimeSpan.FromMilliseconds(200));

        Assert.Equal(["a", "b"], provider.Current.Policies.Select(p => p.Name));
        Assert.Equal([("acme", ""), ("globex", "Globex")], provider.Current.Tenants.Select(t => (t.Id, t.Name)));
        var first = provider.Current.Revision;
        var changed = provider.Watch();

        Write("c.json", Policy("c", "acme"));

        await WaitForAsync(() => provider.Current.Policies.Count == 3);
        Assert.True(changed.HasChanged);
        Assert.True(provider.Current.Revision > first);
    }

    [Fact]
    public async Task KeepsTheLastGoodSet_WhenAFileBreaks()
    {
        File.WriteAllText(Path.Combine(_dir, "a.json"), Policy("a", "acme"));
        await using var provider = FilePolicySnapshotProvider.Start(_dir, Logger, TimeSpan.FromMilliseconds(200));
        var good = provider.Current;

        // A second file with a bad filter and a duplicate name: the whole change is refused.
        Write("b.json", "[" + Policy("b", "acme", "env=prod") + "," + Policy("a", "acme") + "]");

        await WaitForAsync(() => provider.LastErrors.Count > 0);
        Assert.Same(good, provider.Current);
        Assert.Contains(provider.LastErrors, e => e.Policy == "b" && e.Field == "filters[0]");
        Assert.Contains(provider.LastErrors, e => e.Policy == "a" && e.Message.Contains("duplicate"));
        Assert.Contains(_logs.Entries, e => e.Message.Contains("keeping the last good set"));

        Write("b.json", Policy("b", "acme"));
        await WaitForAsync(() => provider.Current.Policies.Count == 2);
        Assert.Empty(provider.LastErrors);
    }

    [Fact]
    public void RefusesToStart_OnAnInvalidDirectory()
    {
        File.WriteAllText(Path.Combine(_dir, "a.json"), "{\"name\": ");
        var e = Assert.Throws<InvalidDataException>(() => FilePolicySnapshotProvider.Start(_dir, Logger));
        Assert.Contains("a.json", e.Message);
    }
}
