using System.Text;
using System.Text.Json;
using Heimdall.Core.PromQL.Parser;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.PromQL;

/// <summary>
/// The corpus of real-world queries and the error table, checked against a real Prometheus (Debian's 2.42.0):
/// our pretty form must equal <c>/api/v1/format_query</c> byte for byte, and our error text must equal its error.
/// </summary>
public sealed class PromQLCorpusTests : IClassFixture<PrometheusServerFixture>
{
    private readonly PrometheusServer _server;

    public PromQLCorpusTests(PrometheusServerFixture fixture) => _server = fixture.Server;

    internal static IReadOnlyList<string> ReadQueries(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "PromQL", "TestData", file))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();

    private async Task<(bool Ok, string Text)> FormatQueryAsync(string query)
    {
        var (_, body) = await _server.PostFormAsync("api/v1/format_query", new Dictionary<string, string> { ["query"] = query });
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.GetProperty("status").GetString() == "success")
        {
            return (true, root.GetProperty("data").GetString()!);
        }
        const string prefix = "invalid parameter \"query\": ";
        var error = root.GetProperty("error").GetString()!;
        return (false, error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : error);
    }

    [Fact]
    public async Task PrettyForm_EqualsPrometheusFormatQuery_ForEveryCorpusQuery()
    {
        var queries = ReadQueries("corpus.txt");
        Assert.True(queries.Count >= 500, $"the corpus has only {queries.Count} queries");
        var failures = new StringBuilder();
        foreach (var query in queries)
        {
            var (ok, expected) = await FormatQueryAsync(query);
            Assert.True(ok, $"Prometheus rejects corpus query {query}: {expected}");
            if (!PromQLParser.TryParse(query, out var expr, out var error))
            {
                failures.AppendLine($"{query}\n  we reject it: {error}");
                continue;
            }
            var pretty = expr!.Pretty();
            if (pretty != expected)
            {
                failures.AppendLine($"{query}\n  expected: {expected}\n  actual:   {pretty}");
            }
            var single = expr.ToString();
            if (single.Contains('\n', StringComparison.Ordinal) || !PromQLParser.Parse(single).Equals(expr))
            {
                failures.AppendLine($"{query}\n  single-line form does not round-trip: {single}");
            }
            if (!PromQLParser.Parse(expected).Equals(expr))
            {
                failures.AppendLine($"{query}\n  Prometheus' form parses to a different tree");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public async Task ErrorText_EqualsPrometheus_ForEveryErrorCase()
    {
        var queries = ReadQueries("errors.txt");
        var failures = new StringBuilder();
        foreach (var query in queries)
        {
            var (ok, expected) = await FormatQueryAsync(query);
            Assert.False(ok, $"Prometheus accepts {query}");
            var ex = Assert.Throws<PromQLParseException>(() => PromQLParser.Parse(query));
            if (ex.Message != expected)
            {
                failures.AppendLine($"{query}\n  expected: {expected}\n  actual:   {ex.Message}");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }
}
