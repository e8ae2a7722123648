using System.Globalization;
using System.Net;
using System.Text;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>
/// PromQL escape attempts by <c>alice</c>, granted <c>env="prod"</c> on tenant acme, through the real pipeline. Each
/// answer must hold only permitted series (no label set outside the grant, no value from a hidden series) and equal
/// what the real Prometheus returns for the same query restricted by hand to the permitted data; what Heimdall
/// forwarded must carry the grant on every selector.
/// </summary>
[Collection(AdversarialCollection.Name)]
public sealed class PromQLEscapeTests(AdversarialFixture fixture)
{
    private const string Grant = "env=\"prod\"";

    /// <summary>{query, the same query written by hand over the permitted data, whether the query forges the env label}.</summary>
    public static TheoryData<string, string, bool> Escapes => new()
    {
        // Match-everything selectors.
        { """{__name__=~".+"}""", """{__name__=~".+",env="prod"}""", false },
        { """{__name__=~"hm_.*",env=~".*"}""", """{__name__=~"hm_.*",env="prod"}""", false },
        // Regex matchers on the granted label.
        { """hm_metric{env=~".+"}""", """hm_metric{env="prod"}""", false },
        { """hm_metric{env=~"dev|prod"}""", """hm_metric{env="prod"}""", false },
        { """hm_metric{env=~"(?i)DEV"}""", """hm_metric{env="none"}""", false },
        { """hm_metric{env!="prod"}""", """hm_metric{env="none"}""", false },
        { """hm_metric{env!~"prod",team=~".+"}""", """hm_metric{env="none"}""", false },
        // label_replace / label_join forging the granted label on hidden data.
        { """label_replace(hm_metric{env="dev"}, "env", "prod", "", "")""", """hm_metric{env="none"}""", true },
        { """label_replace(hm_metric, "env", "prod", "env", ".*")""", """label_replace(hm_metric{env="prod"}, "env", "prod", "env", ".*")""", true },
        { """label_join({__name__=~"hm_.+"}, "env", "", "team")""", """label_join({__name__=~"hm_.+",env="prod"}, "env", "", "team")""", true },
        { """label_replace(hm_metric{env="dev"}, "__name__", "hm_public_info", "", "")""", """hm_metric{env="none"}""", true },
        // or on() vector(1) and set-operator tricks.
        { """hm_metric or on() vector(1)""", """hm_metric{env="prod"} or on() vector(1)""", false },
        { """vector(1) and on() hm_metric{env="dev"}""", """vector(1) and on() hm_metric{env="none"}""", false },
        { """vector(1) unless on() hm_metric{env="dev"}""", """vector(1)""", false },
        { """hm_metric{env="dev"} or hm_metric{env="prod"}""", """hm_metric{env="prod"}""", false },
        { """sum(hm_metric)""", """sum(hm_metric{env="prod"})""", false },
        { """count by (env) ({__name__=~"hm_.+"})""", """count by (env) ({__name__=~"hm_.+",env="prod"})""", false },
        { """topk(1, hm_metric)""", """topk(1, hm_metric{env="prod"})""", false },
        { """hm_metric * on(team) group_left hm_public_info""", """hm_metric{env="prod"} * on(team) group_left hm_public_info{env="prod"}""", false },
        // Subqueries.
        { """max_over_time(hm_metric[5m:30s])""", """max_over_time(hm_metric{env="prod"}[5m:30s])""", false },
        { """sum_over_time(sum by (team) (hm_metric)[5m:1m])""", """sum_over_time(sum by (team) (hm_metric{env="prod"})[5m:1m])""", false },
        { """max_over_time(label_replace(hm_metric{env="dev"}, "env", "prod", "", "")[5m:1m])""", """hm_metric{env="none"}""", true },
        // @ and offset games.
        { """hm_metric offset 2m""", """hm_metric{env="prod"} offset 2m""", false },
        { """hm_metric @ {T} offset -1m""", """hm_metric{env="prod"} @ {T} offset -1m""", false },
        { """rate(hm_secret_total[5m] @ {T} offset 1m)""", """rate(hm_secret_total{env="prod"}[5m] @ {T} offset 1m)""", false },
        { """max_over_time(hm_metric{env="dev"}[10m:1m] @ {T} offset 5m)""", """hm_metric{env="none"}""", false },
        // Comments hiding or carrying matchers.
        { "hm_metric # {env=\"dev\"}", """hm_metric{env="prod"}""", false },
        { "hm_metric{env=\"dev\"} # env=\"prod\"", """hm_metric{env="none"}""", false },
        { "sum( # {env=\"dev\"}\n hm_metric)", """sum(hm_metric{env="prod"})""", false },
        // UTF-8 quoted names (Prometheus 3 syntax; Heimdall forwards the canonical form).
        { """{"hm_metric"}""", """hm_metric{env="prod"}""", false },
        { """{"hm_metric", "env"="dev"}""", """hm_metric{env="none"}""", false },
        { """{"env"=~"d.*", __name__=~"hm_.+"}""", """hm_metric{env="none"}""", false },
        // A range selector at the top level.
        { """hm_metric[1m]""", """hm_metric{env="prod"}[1m]""", false },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task ReturnsOnlyGrantedData_ForEscapeAttempt(string query, string reference, bool forgesEnv)
    {
        var t = fixture.Time.ToString(CultureInfo.InvariantCulture);
        query = query.Replace("{T}", t, StringComparison.Ordinal);
        reference = reference.Replace("{T}", t, StringComparison.Ordinal);

        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.QueryAsync("alice", query));

        var series = PrometheusAnswer.AssertSeries(answer);
        AssertPermitted(series, forgesEnv);
        var expected = PrometheusAnswer.Parse(await fixture.ReferenceAsync(fixture.Acme, reference));
        Assert.Equal(PrometheusAnswer.Canonical(expected), PrometheusAnswer.Canonical(series));
        var request = Assert.Single(forwarded);
        Assert.Equal("acme", request.Tenant);
        GrantChecks.AssertEverySelectorHas(request.Parameters().Single(p => p.Key == "query").Value, Grant);
    }

    [Theory]
    [InlineData("""absent(hm_metric{env="dev"})""", """absent(hm_metric{env="qa"})""")]
    [InlineData("""absent_over_time(hm_metric{env="dev",team="a"}[5m])""", """absent_over_time(hm_metric{env="qa",team="a"}[5m])""")]
    [InlineData("""count(hm_metric{env="dev"}) or vector(0)""", """count(hm_metric{env="qa"}) or vector(0)""")]
    [InlineData("""count(hm_metric{env=~"d.*"}) or vector(0)""", """count(hm_metric{env=~"q.*"}) or vector(0)""")]
    [InlineData("""vector(1) unless on() hm_public_info{env="dev"}""", """vector(1) unless on() hm_public_info{env="qa"}""")]
    [InlineData("""sum(rate(hm_metric{env!="prod"}[5m])) or vector(0)""", """sum(rate(hm_metric{env!="prod",env!="dev"}[5m])) or vector(0)""")]
    public async Task RevealsNothing_AboutWhetherHiddenSeriesExist(string hidden, string nonexistent)
    {
        // The answer for data that exists but is hidden must be the answer for data that does not exist at all.
        var a = PrometheusAnswer.AssertSeries(await fixture.QueryAsync("alice", hidden));
        var b = PrometheusAnswer.AssertSeries(await fixture.QueryAsync("alice", nonexistent));
        Assert.Equal(b.Count, a.Count);
        Assert.Equal(b.SelectMany(s => s.Values), a.SelectMany(s => s.Values));
        Assert.Equal(b.Select(s => string.Join(",", s.Labels.Keys.Order(StringComparer.Ordinal))), a.Select(s => string.Join(",", s.Labels.Keys.Order(StringComparer.Ordinal))));
    }

    [Fact]
    public async Task ReturnsOnlyGrantedData_ForRangeQueryOverHiddenSeries()
    {
        using var request = fixture.Request(HttpMethod.Get, "/api/v1/query_range?query=" + Uri.EscapeDataString("""{__name__=~"hm_.+"}""")
            + $"&start={fixture.Time - 240}&end={fixture.Time}&step=30", fixture.Bearer("alice"), "acme");
        var series = PrometheusAnswer.AssertSeries(await fixture.SendAsync(request));
        Assert.NotEmpty(series);
        AssertPermitted(series, forgesEnv: false);
        Assert.All(series, s => Assert.Equal(9, s.Values.Count));
    }

    [Fact]
    public async Task AnswersCorrectly_ForVeryLongQuery()
    {
        // Over 40 KB of query (inside the 64 KB body limit once form-encoded): a 4,600-way regex and 900 more selectors,
        // each restricted (a longer chain of binary operators is refused for its depth, see the nesting test).
        var alternation = "a|b|" + string.Join("|", Enumerable.Range(0, 4600).Select(i => "x" + i.ToString(CultureInfo.InvariantCulture)));
        var query = $"sum(hm_metric{{team=~\"{alternation}\"}})" + string.Concat(Enumerable.Repeat(" + sum(hm_metric)", 900));
        Assert.True(query.Length > 40_000, query.Length.ToString(CultureInfo.InvariantCulture));
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.QueryAsync("alice", query));
        var series = PrometheusAnswer.AssertSeries(answer);
        Assert.Equal(901 * 3, Assert.Single(series).Values.Single());
        GrantChecks.AssertEverySelectorHas(Assert.Single(forwarded).Parameters().Single(p => p.Key == "query").Value, Grant);
    }

    [Fact]
    public async Task AnswersCorrectly_ForDeeplyNestedQueryWithinTheLimit()
    {
        var query = string.Concat(Enumerable.Repeat("sum(", 200)) + "hm_metric" + new string(')', 200);
        var series = PrometheusAnswer.AssertSeries(await fixture.QueryAsync("alice", query));
        Assert.Equal(3, Assert.Single(series).Values.Single());
    }

    [Theory]
    [InlineData(5000, 0)]
    [InlineData(0, 5000)]
    [InlineData(3000, 3000)]
    public async Task Refuses400_ForNestingBeyondTheLimit_WithoutForwarding(int parens, int unaryMinus)
    {
        var query = new string('-', unaryMinus) + new string('(', parens) + "hm_metric" + new string(')', parens);
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.QueryAsync("alice", query));
        var message = PrometheusAnswer.AssertError(answer, HttpStatusCode.BadRequest, "bad_data");
        Assert.Contains("depth", message, StringComparison.Ordinal);
        Assert.Empty(forwarded);
        // The server is still there.
        PrometheusAnswer.AssertSeries(await fixture.QueryAsync("alice", "vector(1)"));
    }

    [Fact]
    public async Task Refuses413_ForQueryLargerThanTheBodyLimit_WithoutForwarding()
    {
        var query = string.Join(" or ", Enumerable.Range(0, 12_000).Select(i => $"hm_metric{{team=\"{i}\"}}"));
        Assert.True(Encoding.UTF8.GetByteCount(query) > 65536);
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.QueryAsync("alice", query));
        PrometheusAnswer.AssertError(answer, HttpStatusCode.RequestEntityTooLarge, "bad_data");
        Assert.Empty(forwarded);
    }

    /// <summary>No value from a hidden series; the granted label, where kept, is the granted value.</summary>
    private static void AssertPermitted(IReadOnlyList<PrometheusAnswer.Series> series, bool forgesEnv)
    {
        foreach (var s in series)
        {
            Assert.All(s.Values, v => Assert.True(v < AdversarialFixture.Forbidden, $"a hidden series leaked: {s}"));
            if (!forgesEnv && s.Labels.TryGetValue("env", out var env))
            {
                Assert.True(env == "prod", $"a series outside the grant was returned: {s}");
            }
        }
    }
}
