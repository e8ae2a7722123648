using System.Data.Common;
using System.Runtime.CompilerServices;
using Heimdall.Core.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Heimdall.Core.Storage.Sqlite;

/// <summary>The embedded default store: one SQLite file in WAL mode, with foreign keys on; the change feed polls the revision.</summary>
internal sealed partial class SqlitePolicyStore : SqlPolicyStore
{
    private readonly string _connectionString;

    public SqlitePolicyStore(PolicyStoreOptions options, ILogger logger) : base(options, logger)
    {
        var builder = options.Dsn.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(options.Dsn)
            : new SqliteConnectionStringBuilder { DataSource = options.Dsn };
        builder.ForeignKeys = true;
        builder.Pooling = true;
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }
        _connectionString = builder.ConnectionString;
        DataSource = builder.DataSource;
    }

    /// <summary>The database file.</summary>
    public string DataSource { get; }

    public override string Driver => "sqlite";

    private static readonly IReadOnlyList<string> s_migrations = SchemaMigrations.For("BLOB");

    protected override IReadOnlyList<string> Migrations => s_migrations;

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Wait for another writer (another process or replica) instead of failing at once.
            await ExecuteAsync(connection, null, "PRAGMA busy_timeout = 30000", [], cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override async ValueTask<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets readers (every replica's snapshot loads) run while one writer writes; it persists in the file.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", [], cancellationToken);
        return ((SqliteConnection)connection).BeginTransaction(deferred: false);
    }

    // BEGIN IMMEDIATE: take the write lock up front, so two writers never deadlock upgrading read locks.
    protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // A deferred transaction in WAL mode reads one snapshot from its first SELECT to its end.
    protected override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override async IAsyncEnumerable<long> WatchRevisionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var last = -1L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long? revision = null;
            try
            {
                revision = await GetRevisionAsync(cancellationToken);
            }
            catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
            {
                Log.PollFailed(Logger, DataSource, e);
            }
            if (revision is { } r && r != last)
            {
                last = r;
                yield return r;
            }
            await Task.Delay(Options.PollInterval, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.SqlitePollFailed, Level = LogLevel.Warning, Message = "Polling the SQLite store {DataSource} for changes failed; retrying")]
        public static partial void PollFailed(ILogger logger, string dataSource, Exception exception);
    }
}
