namespace Heimdall.Core.Storage;

/// <summary>Which store to use (configuration keys <c>database.driver</c>, <c>database.dsn</c>, <c>database.poll_interval</c>).</summary>
public sealed record PolicyStoreOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Driver { get; init; } = "sqlite";

    /// <summary>
    /// SQLite: a file path or a connection string (<c>Data Source=...</c>). PostgreSQL: an Npgsql connection
    /// string or a <c>postgres://user:password@host:port/database</c> URL.
    /// </summary>
    public string Dsn { get; init; } = "heimdall.db";

    /// <summary>How often SQLite is polled for a new revision; PostgreSQL, which is notified, re-checks every ten intervals as a safety net.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
