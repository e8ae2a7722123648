using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Heimdall.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Heimdall.Core.Storage.Postgres;

/// <summary>
/// The shared store for scaled-out replicas: PostgreSQL, with <c>NOTIFY heimdall_revision</c> sent in every
/// write transaction so each replica's change feed wakes within milliseconds of the commit.
/// </summary>
internal sealed partial class PostgresPolicyStore : SqlPolicyStore
{
    /// <summary>The notification channel.</summary>
    public const string Channel = "heimdall_revision";

    // Any constant shared by all replicas: serializes concurrent migrations.
    private const long MigrationLockKey = 0x4865_696D_6461_6C6C;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;

    public PostgresPolicyStore(PolicyStoreOptions options, ILogger logger) : base(options, logger)
    {
        _connectionString = PostgresDsn.ToConnectionString(options.Dsn);
        _dataSource = NpgsqlDataSource.Create(_connectionString);
    }

    public override string Driver => "postgres";

    private static readonly IReadOnlyList<string> s_migrations = SchemaMigrations.For("BYTEA");

    protected override IReadOnlyList<string> Migrations => s_migrations;

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async ValueTask<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", [], cancellationToken);
        return tx;
    }

    protected override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    protected override async ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await ExecuteAsync(connection, tx, "SET TRANSACTION READ ONLY", [], cancellationToken);
        return tx;
    }

    protected override Task NotifyAsync(DbConnection connection, DbTransaction transaction, long revision, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"SELECT pg_notify('{Channel}', @p0)",
            [revision.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken);

    public override async IAsyncEnumerable<long> WatchRevisionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var listener = new Listener(this);
        var last = -1L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var revision = await listener.NextAsync(cancellationToken);
            if (revision is { } r && r != last)
            {
                last = r;
                yield return r;
            }
        }
    }

    public override async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();

    /// <summary>A dedicated connection holding <c>LISTEN</c>; reconnects (and re-reads the revision) after any failure.</summary>
    private sealed class Listener(PostgresPolicyStore store) : IAsyncDisposable
    {
        private NpgsqlConnection? _connection;

        /// <summary>Waits for a notification (or the safety-net interval), then reads the revision; null after a failure.</summary>
        public async Task<long?> NextAsync(CancellationToken cancellationToken)
        {
            try
            {
                if (_connection is null)
                {
                    // Not from the pool: a pooled connection would be reset (UNLISTEN) when returned.
                    _connection = new NpgsqlConnection(store._connectionString);
                    await _connection.OpenAsync(cancellationToken);
                    await ExecuteAsync(_connection, null, $"LISTEN {Channel}", [], cancellationToken);
                }
                else
                {
                    await _connection.WaitAsync(store.Options.PollInterval * 10, cancellationToken);
                    // Drain notifications that arrived together, so one burst of commits costs one reload.
                    while (await _connection.WaitAsync(TimeSpan.FromMilliseconds(1), cancellationToken))
                    {
                    }
                }
                return await ReadRevisionAsync(_connection, null, cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                Log.ListenFailed(store.Logger, e);
                await DisposeAsync();
                await Task.Delay(store.Options.PollInterval, cancellationToken);
                return null;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.PostgresListenFailed, Level = LogLevel.Warning, Message = "Listening for PostgreSQL store changes failed; reconnecting")]
        public static partial void ListenFailed(ILogger logger, Exception exception);
    }
}
