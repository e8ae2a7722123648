using Heimdall.AspNetCore;
using Heimdall.AspNetCore.DependencyInjection;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses where tenants and policies come from: a SQLite or PostgreSQL store, or a directory of policy files.</summary>
public static class HeimdallBuilderStorageExtensions
{
    /// <summary>Uses the store described by <paramref name="options"/> as <see cref="IPolicyStore"/> and the source of <see cref="IPolicySnapshotProvider"/>.</summary>
    public static IHeimdallBuilder UsePolicyStore(this IHeimdallBuilder builder, PolicyStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.TryAddSingleton(sp => PolicyStores.Create(options, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.TryAddSingleton(sp => PolicySnapshotService.ForStore(sp.GetRequiredService<IPolicyStore>(), sp.GetRequiredService<ILoggerFactory>()));
        return AddSnapshotService(builder);
    }

    /// <summary>Uses a SQLite store (a file path or connection string).</summary>
    public static IHeimdallBuilder UseSqlite(this IHeimdallBuilder builder, string dsn) =>
        builder.UsePolicyStore(new PolicyStoreOptions { Driver = "sqlite", Dsn = dsn });

    /// <summary>Uses a PostgreSQL store (a connection string or <c>postgres://</c> URL); replicas sharing it see each change within a second.</summary>
    public static IHeimdallBuilder UsePostgres(this IHeimdallBuilder builder, string dsn) =>
        builder.UsePolicyStore(new PolicyStoreOptions { Driver = "postgres", Dsn = dsn });

    /// <summary>Reads policies from the JSON/YAML files of <paramref name="directory"/> (GitOps), reloading them atomically on change.</summary>
    public static IHeimdallBuilder UsePolicyFiles(this IHeimdallBuilder builder, string directory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        builder.Services.TryAddSingleton(sp => PolicySnapshotService.ForDirectory(directory, sp.GetRequiredService<ILoggerFactory>()));
        return AddSnapshotService(builder);
    }

    private static IHeimdallBuilder AddSnapshotService(IHeimdallBuilder builder)
    {
        builder.Services.TryAddSingleton<IPolicySnapshotProvider>(sp => sp.GetRequiredService<PolicySnapshotService>());
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PolicySnapshotService>());
        return builder;
    }
}
