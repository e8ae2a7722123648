using System.Text.Json;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Host.Commands;

public sealed class PromQLInjectCommandTests
{
    [Fact]
    public async Task PrintsRewrittenQuery_WithMatchers()
    {
        var result = await HeimdallCliRunner.RunAsync(["promql", "inject", "--matcher", "env=\"prod\"", "--matcher", "team=~\"a|b\"", "sum(rate(x[5m]))"]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal("sum(rate(x{env=\"prod\",team=~\"a|b\"}[5m]))", result.StdOut.Trim());
    }

    [Fact]
    public async Task Fails_OnInvalidMatcher()
    {
        var result = await HeimdallCliRunner.RunAsync(["promql", "inject", "--matcher", "env=prod", "up"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("invalid label matcher", result.StdErr);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task Fails_InStrictMode_OnContradiction()
    {
        var result = await HeimdallCliRunner.RunAsync(["promql", "inject", "--strict", "--matcher", "env=\"prod\"", "up{env=\"dev\"}"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("outside the caller's grant", result.StdErr);
    }

    [Fact]
    public async Task AnswersEachLine_InJsonLinesMode()
    {
        var input = string.Join('\n',
            """{"query":"up","matchers":["env=\"prod\""]}""",
            """{"query":"up","alternatives":[["team=\"a.b\""],["team=\"c\""]]}""",
            """{"query":"up","alternatives":[["env=\"prod\""],["team=\"beta\""]]}""",
            "",
            """{"query":"up[5m]","alternatives":[["env=\"prod\""],["team=\"beta\""]]}""",
            """{"query":"sum(","matchers":[]}""",
            """{"query":"up","matchers":["env=prod"]}""",
            "not json",
            """{"query":"1+1","matchers":[]}""") + "\n";
        var result = await HeimdallCliRunner.RunAsync(["promql", "inject", "--jsonl"], stdin: input);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(8, lines.Count);
        Assert.Equal("up{env=\"prod\"}", Rewritten(lines[0]));
        Assert.Equal("up{team=~\"a\\\\.b|c\"}", Rewritten(lines[1]));
        Assert.Equal("(up{env=\"prod\"} or up{team=\"beta\"})", Rewritten(lines[2]));
        Assert.Contains("range selector", Error(lines[3]));
        Assert.Contains("parse error", Error(lines[4]));
        Assert.Contains("invalid label matcher", Error(lines[5]));
        Assert.Contains("invalid JSON", Error(lines[6]));
        Assert.Equal("1 + 1", Rewritten(lines[7]));
    }

    private static string Rewritten(JsonElement line)
    {
        Assert.True(line.GetProperty("ok").GetBoolean(), line.ToString());
        return line.GetProperty("rewritten").GetString()!;
    }

    private static string Error(JsonElement line)
    {
        Assert.False(line.GetProperty("ok").GetBoolean(), line.ToString());
        return line.GetProperty("error").GetString()!;
    }
}
