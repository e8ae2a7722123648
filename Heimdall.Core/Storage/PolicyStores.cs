using Heimdall.Core.Storage.Postgres;
using Heimdall.Core.Storage.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heimdall.Core.Storage;

/// <summary>Creates the configured <see cref="IPolicyStore"/>.</summary>
public static class PolicyStores
{
    /// <summary>The driver names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Drivers { get; } = ["sqlite", "postgres", "postgresql"];

    /// <summary>Creates a store for <paramref name="options"/> (does not connect or migrate yet).</summary>
    public static IPolicyStore Create(PolicyStoreOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        if (string.IsNullOrWhiteSpace(options.Dsn))
        {
            throw new ArgumentException("database.dsn must not be empty", nameof(options));
        }
        return options.Driver.ToLowerInvariant() switch
        {
            "sqlite" => new SqlitePolicyStore(options, factory.CreateLogger<SqlitePolicyStore>()),
            "postgres" or "postgresql" => new PostgresPolicyStore(options, factory.CreateLogger<PostgresPolicyStore>()),
            _ => throw new ArgumentException($"unknown database.driver \"{options.Driver}\"; expected sqlite or postgres", nameof(options)),
        };
    }
}
