using System.Text.Json;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Host.Commands;

public sealed class PromQLFormatCommandTests
{
    [Fact]
    public async Task PrintsPrettyForm_ForValidQuery()
    {
        var result = await HeimdallCliRunner.RunAsync(["promql", "format", "sum(rate(x{b=\"1\",a=\"2\"}[5m])) by (job)"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("sum by (job) (rate(x{a=\"2\",b=\"1\"}[5m]))\n", result.StdOut);
    }

    [Fact]
    public async Task SplitsLongQueries()
    {
        var query = "sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[5m])) / sum(rate(http_requests_total{job=\"api\"}[5m])) > 0.01";
        var result = await HeimdallCliRunner.RunAsync(["promql", "format", query]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "    sum(rate(http_requests_total{code=~\"5..\",job=\"api\"}[5m]))\n" +
            "  /\n" +
            "    sum(rate(http_requests_total{job=\"api\"}[5m]))\n" +
            ">\n" +
            "  0.01\n",
            result.StdOut);
    }

    [Fact]
    public async Task ExitsOne_WithParseError()
    {
        var result = await HeimdallCliRunner.RunAsync(["promql", "format", "rate(x)"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StdOut);
        Assert.Contains("1:6: parse error: expected type range vector in call to function \"rate\", got instant vector", result.StdErr);
    }

    [Fact]
    public async Task FormatsJsonLines_OneResultPerLine()
    {
        var input = "\"up{b=\\\"1\\\",a=\\\"2\\\"}\"\n\"sum(\"\n42\nnot json\n\"x{a=\\\"é\\\\n\\\"}\"\n";
        var result = await HeimdallCliRunner.RunAsync(["promql", "format", "--jsonl"], stdin: input);
        Assert.Equal(0, result.ExitCode);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(5, lines.Length);
        Assert.True(lines[0].GetProperty("ok").GetBoolean());
        Assert.Equal("up{a=\"2\",b=\"1\"}", lines[0].GetProperty("formatted").GetString());
        Assert.False(lines[1].GetProperty("ok").GetBoolean());
        Assert.Equal("1:5: parse error: unclosed left parenthesis", lines[1].GetProperty("error").GetString());
        Assert.False(lines[2].GetProperty("ok").GetBoolean());
        Assert.False(lines[3].GetProperty("ok").GetBoolean());
        Assert.Equal("x{a=\"é\\n\"}", lines[4].GetProperty("formatted").GetString());
    }
}
