namespace Heimdall.Core.Storage;

/// <summary>
/// The versioned schema, in SQL both SQLite and PostgreSQL accept (<c>{binary}</c> is the driver's binary
/// type). Append new migrations; never edit a shipped one. Policy bodies are stored as UTF-8 JSON bytes,
/// read without transcoding; <c>heimdall_policy_tenants</c> holds the foreign keys from policies to the
/// tenants they name.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>The migrations with <c>{binary}</c> replaced by <paramref name="binaryType"/> (<c>BLOB</c>, <c>BYTEA</c>).</summary>
    public static IReadOnlyList<string> For(string binaryType) =>
        s_all.Select(m => m.Replace("{binary}", binaryType, StringComparison.Ordinal)).ToArray();

    private static readonly string[] s_all =
    [
        """
        CREATE TABLE heimdall_revision (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            revision BIGINT NOT NULL);
        INSERT INTO heimdall_revision (id, revision) VALUES (1, 0);
        CREATE TABLE heimdall_tenants (
            id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 150),
            name TEXT NOT NULL,
            updated_revision BIGINT NOT NULL);
        CREATE TABLE heimdall_policies (
            name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 253),
            effect TEXT NOT NULL CHECK (effect IN ('allow', 'deny')),
            body {binary} NOT NULL,
            updated_revision BIGINT NOT NULL);
        CREATE TABLE heimdall_policy_tenants (
            policy_name TEXT NOT NULL REFERENCES heimdall_policies (name) ON DELETE CASCADE,
            tenant_id TEXT NOT NULL REFERENCES heimdall_tenants (id),
            PRIMARY KEY (policy_name, tenant_id));
        CREATE INDEX heimdall_policy_tenants_tenant ON heimdall_policy_tenants (tenant_id);
        """,
    ];
}
