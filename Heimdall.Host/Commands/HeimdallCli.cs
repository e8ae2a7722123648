using System.CommandLine;

namespace Heimdall.Host.Commands;

/// <summary>The <c>heimdall</c> command tree; each group lives in its own file.</summary>
internal static class HeimdallCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Heimdall: label-based access control gateway for Prometheus and Grafana Mimir.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(PromQLCommands.Create());
        root.Subcommands.Add(TokenCommands.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(TenantCommands.Create());
        root.Subcommands.Add(PolicyCommands.Create());
        return root;
    }
}
