using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Policy;
using Microsoft.Extensions.Logging;

namespace Heimdall.Core.Storage;

/// <summary>
/// The SQL shared by the SQLite and PostgreSQL stores: schema, reads, and the write batch. Every write
/// transaction first raises the single revision row, which serializes writers on both databases, so the
/// existence checks that follow are race-free and revisions are gap-free and monotonic.
/// </summary>
internal abstract partial class SqlPolicyStore : IPolicyStore
{
    protected SqlPolicyStore(PolicyStoreOptions options, ILogger logger)
    {
        Options = options;
        Logger = logger;
    }

    protected PolicyStoreOptions Options { get; }

    protected ILogger Logger { get; }

    public abstract string Driver { get; }

    /// <summary>Schema migrations; migration <c>i</c> brings the schema to version <c>i + 1</c>.</summary>
    protected abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>Fault injection for tests: called after every statement of a write batch with the statement count.</summary>
    internal Func<int, CancellationToken, ValueTask>? FaultInjector { get; set; }

    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a write transaction that excludes other writers' migrations (PostgreSQL: advisory lock; SQLite: <c>BEGIN IMMEDIATE</c>).</summary>
    protected abstract ValueTask<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins a read-only transaction that sees one consistent snapshot.</summary>
    protected abstract ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Announces <paramref name="revision"/> to other replicas when the transaction commits.</summary>
    protected virtual Task NotifyAsync(DbConnection connection, DbTransaction transaction, long revision, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public abstract IAsyncEnumerable<long> WatchRevisionsAsync(CancellationToken cancellationToken = default);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = await BeginMigrationAsync(connection, cancellationToken);
        await ExecuteAsync(connection, tx, "CREATE TABLE IF NOT EXISTS heimdall_schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", [], cancellationToken);
        var current = Convert.ToInt32(await ScalarAsync(connection, tx, "SELECT COALESCE(MAX(version), 0) FROM heimdall_schema_migrations", [], cancellationToken) ?? 0);
        if (current > Migrations.Count)
        {
            throw new InvalidOperationException(
                $"the {Driver} database has schema version {current}, newer than this heimdall supports ({Migrations.Count}); upgrade heimdall");
        }
        for (var v = current; v < Migrations.Count; v++)
        {
            await ExecuteAsync(connection, tx, Migrations[v], [], cancellationToken);
            await ExecuteAsync(connection, tx, "INSERT INTO heimdall_schema_migrations (version, applied_at) VALUES (@p0, @p1)",
                [v + 1, DateTimeOffset.UtcNow.ToString("O")], cancellationToken);
            Log.MigrationApplied(Logger, Driver, v + 1);
        }
        await tx.CommitAsync(cancellationToken);
        return Migrations.Count;
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadRevisionAsync(connection, null, cancellationToken);
    }

    protected static async Task<long> ReadRevisionAsync(DbConnection connection, DbTransaction? tx, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(connection, tx, "SELECT revision FROM heimdall_revision WHERE id = 1", [], cancellationToken) ?? 0L);

    public async Task<PolicySnapshot> LoadSnapshotAsync(CancellationToken cancellationToken = default)
    {
        using var activity = HeimdallDiagnostics.ActivitySource.StartActivity(SpanNames.DbPrefix + "LoadSnapshot");
        activity?.SetTag("db.system", Driver);
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = await BeginReadAsync(connection, cancellationToken);
        var revision = await ReadRevisionAsync(connection, tx, cancellationToken);

        var tenants = new List<Tenant>();
        await using (var cmd = Command(connection, tx, "SELECT id, name FROM heimdall_tenants", []))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tenants.Add(new Tenant { Id = reader.GetString(0), Name = reader.GetString(1) });
            }
        }
        // Parse each body straight from a reused buffer: no per-row byte[] or string for 50,000 policies.
        var policies = new List<AccessPolicy>();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            await using var cmd = Command(connection, tx, "SELECT body FROM heimdall_policies", []);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var length = (int)reader.GetBytes(0, 0, null, 0, 0);
                if (length > buffer.Length)
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
                }
                var read = 0;
                while (read < length)
                {
                    var n = (int)reader.GetBytes(0, read, buffer, read, length - read);
                    read += n > 0 ? n : throw new InvalidDataException("a stored policy body ended early");
                }
                policies.Add(ParsePolicy(buffer.AsSpan(0, length)));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        await tx.CommitAsync(cancellationToken);
        tenants.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        policies.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        activity?.SetTag("heimdall.revision", revision);
        return new PolicySnapshot { Revision = revision, Tenants = tenants, Policies = policies };
    }

    public async Task<Tenant?> GetTenantAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await FindTenantAsync(connection, null, id, cancellationToken);
    }

    public async Task<AccessPolicy?> GetPolicyAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await FindPolicyAsync(connection, null, name, cancellationToken);
    }

    public async Task<PolicyStoreResult> ApplyAsync(IReadOnlyList<PolicyChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var errors = ValidateStatically(changes);
        if (errors.Count > 0)
        {
            return new PolicyStoreResult { Status = PolicyStoreStatus.Invalid, Errors = errors };
        }
        using var activity = HeimdallDiagnostics.ActivitySource.StartActivity(SpanNames.DbPrefix + "Apply");
        activity?.SetTag("db.system", Driver);
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = await BeginWriteAsync(connection, cancellationToken);
        var batch = new WriteBatch(this, connection, tx);
        var revision = Convert.ToInt64(await batch.ScalarAsync(
            "UPDATE heimdall_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision", [], cancellationToken));
        var status = PolicyStoreStatus.Ok;
        foreach (var change in changes)
        {
            var outcome = await batch.ApplyAsync(change, revision, cancellationToken);
            if (outcome != PolicyStoreStatus.Ok && (status == PolicyStoreStatus.Ok || outcome == PolicyStoreStatus.Invalid))
            {
                status = outcome;
            }
        }
        if (status != PolicyStoreStatus.Ok)
        {
            await tx.RollbackAsync(cancellationToken);
            return new PolicyStoreResult { Status = status, Errors = batch.Errors, Revision = revision - 1 };
        }
        await NotifyAsync(connection, tx, revision, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        Log.Committed(Logger, Driver, revision, changes.Count);
        return new PolicyStoreResult { Status = PolicyStoreStatus.Ok, Revision = revision, Changes = batch.Applied };
    }

    private static List<PolicyValidationError> ValidateStatically(IReadOnlyList<PolicyChange> changes)
    {
        var errors = new List<PolicyValidationError>();
        foreach (var c in changes)
        {
            switch (c.Kind)
            {
                case PolicyChangeKind.CreateTenant or PolicyChangeKind.ReplaceTenant or PolicyChangeKind.UpsertTenant:
                    errors.AddRange(PolicyValidator.ValidateTenant(c.Tenant!));
                    break;
                case PolicyChangeKind.CreatePolicy or PolicyChangeKind.ReplacePolicy or PolicyChangeKind.UpsertPolicy:
                    errors.AddRange(PolicyValidator.ValidatePolicy(c.Policy!));
                    break;
                case PolicyChangeKind.ReplaceAll:
                    errors.AddRange(PolicyValidator.ValidateDocument(c.Document!, static _ => false));
                    break;
            }
        }
        // Within one batch a name may be created once: a second create of the same name is a conflict the caller made.
        foreach (var dup in changes.Where(c => c.Kind == PolicyChangeKind.CreatePolicy).GroupBy(c => c.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(PolicyValidationError.ForPolicy(dup.Key, "name", "duplicate policy name in the batch"));
        }
        foreach (var dup in changes.Where(c => c.Kind == PolicyChangeKind.CreateTenant).GroupBy(c => c.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(PolicyValidationError.ForTenant(dup.Key, "id", "duplicate tenant ID in the batch"));
        }
        return errors;
    }

    internal static AccessPolicy ParsePolicy(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, PolicyJsonContext.Default.AccessPolicy) ?? throw new InvalidDataException("a stored policy is null");

    internal static byte[] SerializePolicy(AccessPolicy policy) => JsonSerializer.SerializeToUtf8Bytes(policy, PolicyJsonContext.Default.AccessPolicy);

    private static async Task<Tenant?> FindTenantAsync(DbConnection connection, DbTransaction? tx, string id, CancellationToken cancellationToken)
    {
        await using var cmd = Command(connection, tx, "SELECT id, name FROM heimdall_tenants WHERE id = @p0", [id]);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Tenant { Id = reader.GetString(0), Name = reader.GetString(1) } : null;
    }

    private static async Task<AccessPolicy?> FindPolicyAsync(DbConnection connection, DbTransaction? tx, string name, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, tx, "SELECT body FROM heimdall_policies WHERE name = @p0", [name], cancellationToken) is byte[] body
            ? ParsePolicy(body)
            : null;

    protected static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, object?[] args)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        for (var i = 0; i < args.Length; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "p" + i;
            p.Value = args[i] ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    protected static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, object?[] args, CancellationToken cancellationToken)
    {
        await using var cmd = Command(connection, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    protected static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? tx, string sql, object?[] args, CancellationToken cancellationToken)
    {
        await using var cmd = Command(connection, tx, sql, args);
        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>The statements of one write transaction, with the errors and before/after states it collects.</summary>
    private sealed class WriteBatch(SqlPolicyStore store, DbConnection connection, DbTransaction tx)
    {
        private int _statements;

        public List<PolicyValidationError> Errors { get; } = [];

        public List<AppliedChange> Applied { get; } = [];

        public async Task<object?> ScalarAsync(string sql, object?[] args, CancellationToken ct)
        {
            var value = await SqlPolicyStore.ScalarAsync(connection, tx, sql, args, ct);
            await AfterStatementAsync(ct);
            return value;
        }

        private async Task ExecAsync(string sql, object?[] args, CancellationToken ct)
        {
            await ExecuteAsync(connection, tx, sql, args, ct);
            await AfterStatementAsync(ct);
        }

        private ValueTask AfterStatementAsync(CancellationToken ct) =>
            store.FaultInjector is { } inject ? inject(++_statements, ct) : ValueTask.CompletedTask;

        public async Task<PolicyStoreStatus> ApplyAsync(PolicyChange change, long revision, CancellationToken ct)
        {
            switch (change.Kind)
            {
                case PolicyChangeKind.CreateTenant or PolicyChangeKind.ReplaceTenant or PolicyChangeKind.UpsertTenant:
                {
                    var before = await FindTenantAsync(connection, tx, change.Key, ct);
                    if (before is not null && change.Kind == PolicyChangeKind.CreateTenant)
                    {
                        return Fail(PolicyStoreStatus.Conflict, PolicyValidationError.ForTenant(change.Key, "id", "a tenant with this ID already exists"));
                    }
                    if (before is null && change.Kind == PolicyChangeKind.ReplaceTenant)
                    {
                        return Fail(PolicyStoreStatus.NotFound, PolicyValidationError.ForTenant(change.Key, "id", "no tenant with this ID"));
                    }
                    await WriteTenantAsync(change.Tenant!, before is not null, revision, ct);
                    Applied.Add(new AppliedChange("tenant", change.Key, before, change.Tenant));
                    return PolicyStoreStatus.Ok;
                }
                case PolicyChangeKind.DeleteTenant:
                {
                    var before = await FindTenantAsync(connection, tx, change.Key, ct);
                    if (before is null)
                    {
                        return Fail(PolicyStoreStatus.NotFound, PolicyValidationError.ForTenant(change.Key, "id", "no tenant with this ID"));
                    }
                    var users = await UsersOfTenantAsync(change.Key, ct);
                    if (users.Count > 0)
                    {
                        return Fail(PolicyStoreStatus.Conflict, PolicyValidationError.ForTenant(change.Key, "id",
                            $"the tenant is used by {users.Count} polic{(users.Count == 1 ? "y" : "ies")} ({string.Join(", ", users.Take(10))}); change or delete them first"));
                    }
                    await ExecAsync("DELETE FROM heimdall_tenants WHERE id = @p0", [change.Key], ct);
                    Applied.Add(new AppliedChange("tenant", change.Key, before, null));
                    return PolicyStoreStatus.Ok;
                }
                case PolicyChangeKind.CreatePolicy or PolicyChangeKind.ReplacePolicy or PolicyChangeKind.UpsertPolicy:
                {
                    var before = await FindPolicyAsync(connection, tx, change.Key, ct);
                    if (before is not null && change.Kind == PolicyChangeKind.CreatePolicy)
                    {
                        return Fail(PolicyStoreStatus.Conflict, PolicyValidationError.ForPolicy(change.Key, "name", "a policy with this name already exists"));
                    }
                    if (before is null && change.Kind == PolicyChangeKind.ReplacePolicy)
                    {
                        return Fail(PolicyStoreStatus.NotFound, PolicyValidationError.ForPolicy(change.Key, "name", "no policy with this name"));
                    }
                    var missing = new List<PolicyValidationError>();
                    var known = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var t in change.Policy!.Scope.Tenants.Where(t => t != "*"))
                    {
                        if (await FindTenantAsync(connection, tx, t, ct) is not null)
                        {
                            known.Add(t);
                        }
                    }
                    PolicyValidator.CheckTenantsExist(change.Policy, change.Key, known.Contains, missing);
                    if (missing.Count > 0)
                    {
                        Errors.AddRange(missing);
                        return PolicyStoreStatus.Invalid;
                    }
                    if (before is not null)
                    {
                        await ExecAsync("DELETE FROM heimdall_policies WHERE name = @p0", [change.Key], ct);
                    }
                    await InsertPolicyAsync(change.Policy, revision, ct);
                    Applied.Add(new AppliedChange("policy", change.Key, before, change.Policy));
                    return PolicyStoreStatus.Ok;
                }
                case PolicyChangeKind.DeletePolicy:
                {
                    var before = await FindPolicyAsync(connection, tx, change.Key, ct);
                    if (before is null)
                    {
                        return Fail(PolicyStoreStatus.NotFound, PolicyValidationError.ForPolicy(change.Key, "name", "no policy with this name"));
                    }
                    await ExecAsync("DELETE FROM heimdall_policies WHERE name = @p0", [change.Key], ct);
                    Applied.Add(new AppliedChange("policy", change.Key, before, null));
                    return PolicyStoreStatus.Ok;
                }
                case PolicyChangeKind.ReplaceAll:
                {
                    await ExecAsync("DELETE FROM heimdall_policy_tenants", [], ct);
                    await ExecAsync("DELETE FROM heimdall_policies", [], ct);
                    await ExecAsync("DELETE FROM heimdall_tenants", [], ct);
                    var doc = change.Document!;
                    if (connection.CanCreateBatch)
                    {
                        await BulkInsertAsync(doc, revision, ct);
                    }
                    else
                    {
                        foreach (var t in doc.Tenants)
                        {
                            await WriteTenantAsync(t, exists: false, revision, ct);
                        }
                        foreach (var p in doc.Policies)
                        {
                            await InsertPolicyAsync(p, revision, ct);
                        }
                    }
                    Applied.Add(new AppliedChange("all", "", null, new { tenants = doc.Tenants.Count, policies = doc.Policies.Count }));
                    return PolicyStoreStatus.Ok;
                }
                default:
                    throw new UnreachableException("unknown change kind " + change.Kind);
            }
        }

        private PolicyStoreStatus Fail(PolicyStoreStatus status, PolicyValidationError error)
        {
            Errors.Add(error);
            return status;
        }

        private Task WriteTenantAsync(Tenant t, bool exists, long revision, CancellationToken ct) => exists
            ? ExecAsync("UPDATE heimdall_tenants SET name = @p1, updated_revision = @p2 WHERE id = @p0", [t.Id, t.Name, revision], ct)
            : ExecAsync("INSERT INTO heimdall_tenants (id, name, updated_revision) VALUES (@p0, @p1, @p2)", [t.Id, t.Name, revision], ct);

        private async Task InsertPolicyAsync(AccessPolicy p, long revision, CancellationToken ct)
        {
            await ExecAsync("INSERT INTO heimdall_policies (name, effect, body, updated_revision) VALUES (@p0, @p1, @p2, @p3)",
                [p.Name, p.Effect, SerializePolicy(p), revision], ct);
            foreach (var t in p.Scope.Tenants.Where(t => t != "*").Distinct(StringComparer.Ordinal))
            {
                await ExecAsync("INSERT INTO heimdall_policy_tenants (policy_name, tenant_id) VALUES (@p0, @p1)", [p.Name, t], ct);
            }
        }

        /// <summary>Inserts a whole document in round trips of many statements (PostgreSQL), instead of one per row.</summary>
        private async Task BulkInsertAsync(PolicyDocument doc, long revision, CancellationToken ct)
        {
            const int PerRoundTrip = 1000;
            var rows = doc.Tenants.Select(t => ("INSERT INTO heimdall_tenants (id, name, updated_revision) VALUES (@p0, @p1, @p2)", new object?[] { t.Id, t.Name, revision }))
                .Concat(doc.Policies.Select(p => ("INSERT INTO heimdall_policies (name, effect, body, updated_revision) VALUES (@p0, @p1, @p2, @p3)",
                    new object?[] { p.Name, p.Effect, SerializePolicy(p), revision })))
                .Concat(doc.Policies.SelectMany(p => p.Scope.Tenants.Where(t => t != "*").Distinct(StringComparer.Ordinal)
                    .Select(t => ("INSERT INTO heimdall_policy_tenants (policy_name, tenant_id) VALUES (@p0, @p1)", new object?[] { p.Name, t }))));
            foreach (var chunk in rows.Chunk(PerRoundTrip))
            {
                await using var batch = connection.CreateBatch();
                batch.Transaction = tx;
                foreach (var (sql, args) in chunk)
                {
                    var command = batch.CreateBatchCommand();
                    // Batched commands take positional parameters ($1, $2, ...).
                    command.CommandText = sql.Replace("@p3", "$4").Replace("@p2", "$3").Replace("@p1", "$2").Replace("@p0", "$1");
                    foreach (var arg in args)
                    {
                        var parameter = command.CreateParameter();
                        parameter.Value = arg ?? DBNull.Value;
                        command.Parameters.Add(parameter);
                    }
                    batch.BatchCommands.Add(command);
                }
                await batch.ExecuteNonQueryAsync(ct);
                await AfterStatementAsync(ct);
            }
        }

        private async Task<List<string>> UsersOfTenantAsync(string tenant, CancellationToken ct)
        {
            var names = new List<string>();
            await using var cmd = Command(connection, tx, "SELECT policy_name FROM heimdall_policy_tenants WHERE tenant_id = @p0 ORDER BY policy_name", [tenant]);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                names.Add(reader.GetString(0));
            }
            return names;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.MigrationApplied, Level = LogLevel.Information, Message = "Applied {Driver} schema migration {Version}")]
        public static partial void MigrationApplied(ILogger logger, string driver, int version);

        [LoggerMessage(EventId = EventIds.StoreCommitted, Level = LogLevel.Debug, Message = "Committed {Driver} store revision {Revision} ({Changes} changes)")]
        public static partial void Committed(ILogger logger, string driver, long revision, int changes);
    }
}
