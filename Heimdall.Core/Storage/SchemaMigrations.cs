namespace Heimdall.Core.Storage;

/// <summary>
/// The versioned schema, in SQL both SQLite and PostgreSQL accept. Append new migrations; never edit a
/// shipped one. Policy bodies are stored as JSON; <c>heimdall_policy_tenants</c> holds the foreign keys
/// from policies to the tenants they name.
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<string> All { get; } =
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
            body TEXT NOT NULL,
            updated_revision BIGINT NOT NULL);
        CREATE TABLE heimdall_policy_tenants (
            policy_name TEXT NOT NULL REFERENCES heimdall_policies (name) ON DELETE CASCADE,
            tenant_id TEXT NOT NULL REFERENCES heimdall_tenants (id),
            PRIMARY KEY (policy_name, tenant_id));
        CREATE INDEX heimdall_policy_tenants_tenant ON heimdall_policy_tenants (tenant_id);
        """,
    ];
}
