using System.CommandLine;

namespace Heimdall.Host.Commands;

/// <summary><c>heimdall migrate</c>: applies the store's schema migrations (serve and every store command also do at start).</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Create or upgrade the policy store's schema.").WithStoreOptions();
        migrate.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            await using var store = await CliContext.OpenStoreAsync(parseResult, ct);
            await output.WriteLineAsync($"{store.Driver} store at schema version {await store.MigrateAsync(ct)}, revision {await store.GetRevisionAsync(ct)}");
            return 0;
        }));
        return migrate;
    }
}
