using Heimdall.Tests.Common;

namespace Heimdall.Tests.Host;

public sealed class CliTests
{
    [Fact]
    public async Task PrintsVersion_WithVersionFlag()
    {
        var result = await HeimdallCliRunner.RunAsync(["--version"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.StdOut.Trim());
    }

    [Fact]
    public async Task ListsCommandGroups_WithHelpFlag()
    {
        var result = await HeimdallCliRunner.RunAsync(["--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("promql", result.StdOut);
        Assert.Contains("Usage:", result.StdOut);
    }

    [Fact]
    public async Task FailsWithUsage_OnUnknownCommand()
    {
        var result = await HeimdallCliRunner.RunAsync(["no-such-command"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no-such-command", result.StdErr + result.StdOut);
    }
}
