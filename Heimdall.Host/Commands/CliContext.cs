using System.CommandLine;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Heimdall.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace Heimdall.Host.Commands;

/// <summary>The options every store-backed command shares, and how they turn into configuration and a store.</summary>
internal static class CliContext
{
    public static readonly Option<string?> Config = new("--config", "-c")
    {
        Description = "YAML config file (default: $HEIMDALL_CONFIG, else ./config.yaml when present).",
        Recursive = true,
    };

    public static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "Output format: table, json or yaml.",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    };

    public static readonly Option<string?> DatabaseDriver = new("--database-driver")
    {
        Description = "Overrides database.driver (sqlite or postgres).",
        Recursive = true,
    };

    public static readonly Option<string?> DatabaseDsn = new("--database-dsn")
    {
        Description = "Overrides database.dsn (a SQLite file, or a PostgreSQL connection string or URL).",
        Recursive = true,
    };

    static CliContext()
    {
        Output.AcceptOnlyFromAmong("table", "json", "yaml");
    }

    /// <summary>Adds the shared options to a command group.</summary>
    public static Command WithStoreOptions(this Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Output);
        command.Options.Add(DatabaseDriver);
        command.Options.Add(DatabaseDsn);
        return command;
    }

    public static IConfiguration LoadConfiguration(ParseResult parseResult) =>
        HeimdallConfiguration.Load(parseResult.GetValue(Config), new Dictionary<string, string?>
        {
            [ConfigurationKeys.DatabaseDriver] = parseResult.GetValue(DatabaseDriver),
            [ConfigurationKeys.DatabaseDsn] = parseResult.GetValue(DatabaseDsn),
        });

    public static PolicyStoreOptions StoreOptions(IConfiguration configuration)
    {
        var options = new PolicyStoreOptions();
        return options with
        {
            Driver = configuration[ConfigurationKeys.DatabaseDriver] ?? options.Driver,
            Dsn = configuration[ConfigurationKeys.DatabaseDsn] ?? options.Dsn,
            PollInterval = configuration[ConfigurationKeys.DatabasePollInterval] is { } poll
                ? HeimdallConfiguration.ParseDuration(poll, "database.poll_interval")
                : options.PollInterval,
        };
    }

    /// <summary>Opens and migrates the configured store.</summary>
    public static async Task<IPolicyStore> OpenStoreAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var store = PolicyStores.Create(StoreOptions(LoadConfiguration(parseResult)));
        try
        {
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command body, turning configuration and database failures into a message and exit code 1.</summary>
    public static async Task<int> RunAsync(ParseResult parseResult, Func<TextWriter, Task<int>> body)
    {
        try
        {
            return await body(parseResult.InvocationConfiguration.Output);
        }
        catch (Exception e) when (e is FormatException or FileNotFoundException or ArgumentException or InvalidOperationException
            or IOException or System.Data.Common.DbException or UnauthorizedAccessException or TimeoutException)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync("error: " + e.Message);
            return 1;
        }
    }

    /// <summary>Writes a refusal (validation errors, conflict, not found) to stderr; returns exit code 1.</summary>
    public static int Refuse(ParseResult parseResult, string what, IEnumerable<PolicyValidationError> errors, bool writing = true)
    {
        var err = parseResult.InvocationConfiguration.Error;
        err.WriteLine(writing ? $"error: {what}; nothing was written:" : $"error: {what}:");
        foreach (var e in errors)
        {
            err.WriteLine("  " + e);
        }
        return 1;
    }

    /// <summary>Reads a file, or standard input for <c>-</c>.</summary>
    public static async Task<string> ReadInputAsync(string path, CancellationToken cancellationToken) =>
        path == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);
}
