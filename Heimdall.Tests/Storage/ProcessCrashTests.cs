using System.Diagnostics;
using System.Text.Json;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Heimdall.Tests.Common;
using Xunit.Abstractions;

namespace Heimdall.Tests.Storage;

/// <summary>
/// A writer process killed (SIGKILL) in the middle of a large import: the store afterwards holds either the
/// old content or the complete new content, never part of the batch.
/// </summary>
public sealed class ProcessCrashTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task LeavesNothingHalfWritten_WhenTheWriterIsKilled(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using (var store = await db.OpenStoreAsync())
        {
            Assert.True((await store.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "old" }), PolicyChange.CreatePolicy(PolicyStoreTests.Allow("old-policy", "old"))])).Succeeded);
        }
        const int count = 20_000;
        var doc = new
        {
            tenants = new[] { new Tenant { Id = "acme", Name = "Acme" } },
            policies = Enumerable.Range(0, count).Select(i => PolicyStoreTests.Allow($"p{i:D5}", "acme", $"env=\"e{i}\"")).ToList(),
        };
        var file = Path.Combine(Path.GetTempPath(), $"heimdall-import-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(doc));
        try
        {
            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { HeimdallCliRunner.DllPath, "policy", "import", file, "--database-driver", db.Options.Driver, "--database-dsn", db.Options.Dsn })
            {
                psi.ArgumentList.Add(a);
            }
            psi.Environment["HEIMDALL_CONFIG"] = "";
            using var process = Process.Start(psi)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();

            // Kill once the import is writing: the new rows are visible to no one yet, the transaction is open.
            var sw = Stopwatch.StartNew();
            while (!process.HasExited && !await IsWritingAsync(db) && sw.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(5);
            }
            var killed = !process.HasExited;
            if (killed)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
            output.WriteLine(killed ? $"{kind}: writer killed mid-import after {sw.ElapsedMilliseconds} ms" : $"{kind}: import finished before the kill");

            await using var check = await db.OpenStoreAsync();
            var snapshot = await check.LoadSnapshotAsync();
            if (snapshot.Revision == 1)
            {
                Assert.Equal(["old-policy"], snapshot.Policies.Select(p => p.Name));
                Assert.Equal(["old"], snapshot.Tenants.Select(t => t.Id));
            }
            else
            {
                Assert.Equal(2, snapshot.Revision);
                Assert.Equal(count, snapshot.Policies.Count);
                Assert.Equal(["acme"], snapshot.Tenants.Select(t => t.Id));
            }
            // The store is usable afterwards.
            Assert.True((await check.ApplyAsync([PolicyChange.UpsertTenant(new Tenant { Id = "after" })])).Succeeded);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<bool> IsWritingAsync(TestDatabase db)
    {
        if (db.Options.Driver == "sqlite")
        {
            var wal = db.Options.Dsn + "-wal";
            return File.Exists(wal) && new FileInfo(wal).Length > 512 * 1024;
        }
        await using var conn = new Npgsql.NpgsqlConnection(db.Options.Dsn);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND xact_start IS NOT NULL AND query LIKE 'INSERT INTO heimdall_polic%' AND pid <> pg_backend_pid()", conn);
        return (long)(await cmd.ExecuteScalarAsync())! > 0;
    }
}
