using System.CommandLine;

namespace Heimdall.Host.Commands;

/// <summary><c>heimdall promql ...</c>: format and inject for people and scripts.</summary>
internal static class PromQLCommands
{
    public static Command Create()
    {
        var promql = new Command("promql", "Parse, format and rewrite PromQL queries.");
        promql.Subcommands.Add(PromQLFormatCommand.Create());
        promql.Subcommands.Add(PromQLInjectCommand.Create());
        return promql;
    }
}
