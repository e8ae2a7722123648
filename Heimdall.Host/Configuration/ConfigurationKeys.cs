namespace Heimdall.Host.Configuration;

/// <summary>
/// Every configuration key Heimdall reads (the keys of <c>config.example.yaml</c>, with <c>:</c> between
/// sections). Environment variables are matched against this list, because keys contain underscores:
/// <c>HEIMDALL_FANOUT_MAX_CONCURRENCY</c> is <c>fanout:max_concurrency</c>. Add a line per new key.
/// </summary>
internal static class ConfigurationKeys
{
    public const string DatabaseDriver = "database:driver";
    public const string DatabaseDsn = "database:dsn";
    public const string DatabasePollInterval = "database:poll_interval";
    public const string AdminGroup = "admin:group";
    public const string PoliciesDirectory = "policies:directory";

    public static List<string> Known { get; } =
    [
        DatabaseDriver,
        DatabaseDsn,
        DatabasePollInterval,
        AdminGroup,
        PoliciesDirectory,
    ];
}
