using Heimdall.Core.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Heimdall.Tests.Common;

/// <summary>
/// Real databases for store tests: a fresh SQLite file in its own directory, or a fresh, uniquely named
/// database on the PostgreSQL server named by <c>HEIMDALL_TEST_POSTGRES</c> (started by scripts/postgres.sh).
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _postgresName;

    private TestDatabase(PolicyStoreOptions options, string? directory, string? postgresName)
    {
        Options = options;
        _directory = directory;
        _postgresName = postgresName;
    }

    /// <summary>The store kinds every store test runs against.</summary>
    public static TheoryData<string> Kinds => new() { "sqlite", "postgres" };

    public PolicyStoreOptions Options { get; }

    public static string PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable("HEIMDALL_TEST_POSTGRES") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "HEIMDALL_TEST_POSTGRES is not set; run `eval \"$(bash scripts/postgres.sh start)\"` (scripts/test.sh does)");

    public static async Task<TestDatabase> CreateAsync(string kind, TimeSpan? pollInterval = null)
    {
        var poll = pollInterval ?? TimeSpan.FromMilliseconds(200);
        if (kind == "sqlite")
        {
            var dir = Path.Combine(Path.GetTempPath(), "heimdall-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return new TestDatabase(new PolicyStoreOptions { Driver = "sqlite", Dsn = Path.Combine(dir, "heimdall.db"), PollInterval = poll }, dir, null);
        }
        var name = "heimdall_test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(PostgresAdminConnectionString))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        var dsn = new NpgsqlConnectionStringBuilder(PostgresAdminConnectionString) { Database = name }.ConnectionString;
        return new TestDatabase(new PolicyStoreOptions { Driver = "postgres", Dsn = dsn, PollInterval = poll }, null, name);
    }

    /// <summary>A new store on this database, migrated.</summary>
    public async Task<IPolicyStore> OpenStoreAsync()
    {
        var store = PolicyStores.Create(Options);
        await store.MigrateAsync();
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresAdminConnectionString);
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", admin);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
