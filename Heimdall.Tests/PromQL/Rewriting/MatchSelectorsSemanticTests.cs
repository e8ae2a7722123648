using System.Globalization;
using System.Text.Json;
using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Tests.PromQL.Rewriting;

/// <summary>
/// <see cref="MatchSelectors"/> on real Prometheus: <c>/api/v1/series</c>, <c>/labels</c> and <c>/label/…/values</c> with the
/// rewritten <c>match[]</c> on all data answer exactly what the original request answers on the permitted data.
/// </summary>
public sealed class MatchSelectorsSemanticTests(SemanticFixture fixture) : IClassFixture<SemanticFixture>
{
    private static readonly string[][] s_matchSets =
    [
        ["up"],
        ["{__name__=~\"memory_.*\"}"],
        ["http_requests_total{env=\"dev\"}", "up{team=\"beta\"}"],
        ["{job=\"api\",team=~\"a.b|c\"}"],
        ["{__name__=~\".+\"}"],
    ];

    public static TheoryData<string> GrantNames => [.. SemanticGrants.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(GrantNames))]
    public async Task RewrittenMatchers_ReturnThePermittedSeriesLabelsAndValues(string grantName)
    {
        var grant = SemanticGrants.Get(grantName);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var wouldLeak = 0;
        foreach (var matches in s_matchSets)
        {
            var rewritten = MatchSelectors.Rewrite(matches, grant.Grant);
            Assert.True(rewritten.Succeeded, rewritten.Error);
            foreach (var path in new[] { "api/v1/series", "api/v1/labels", "api/v1/label/team/values", "api/v1/label/__name__/values" })
            {
                var expected = await GetAsync(http, fixture.Permitted(grantName), path, matches);
                var actual = await GetAsync(http, fixture.All, path, rewritten.Selectors);
                Assert.True(expected == actual, $"{path} {string.Join(" ", matches)} => {string.Join(" ", rewritten.Selectors)}\n{expected}\nvs\n{actual}");
                Assert.DoesNotContain("error", expected, StringComparison.Ordinal);
                if (expected != await GetAsync(http, fixture.All, path, matches))
                {
                    wouldLeak++;
                }
            }
        }
        Assert.True(wouldLeak >= 5, $"only {wouldLeak} requests differ without rewriting");
    }

    [Theory]
    [MemberData(nameof(GrantNames))]
    public async Task GrantsOwnMatchers_ListOnlyPermittedLabelsAndValues(string grantName)
    {
        var grant = SemanticGrants.Get(grantName);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var own = MatchSelectors.Rewrite([], grant.Grant).Selectors;
        var wouldLeak = 0;
        foreach (var path in new[] { "api/v1/labels", "api/v1/label/team/values", "api/v1/label/env/values", "api/v1/label/__name__/values" })
        {
            var expected = await GetAsync(http, fixture.Permitted(grantName), path, []);
            var actual = await GetAsync(http, fixture.All, path, own);
            Assert.True(expected == actual, $"{path} with {string.Join(" ", own)}\n{expected}\nvs\n{actual}");
            Assert.DoesNotContain("error", expected, StringComparison.Ordinal);
            if (expected != await GetAsync(http, fixture.All, path, []))
            {
                wouldLeak++;
            }
        }
        // The "expanded" grant happens to permit every label name and every team/env/metric name value somewhere.
        Assert.True(wouldLeak >= 1 || grantName == "expanded", "the grant hides nothing from these endpoints");
    }

    private static async Task<string> GetAsync(HttpClient http, Uri server, string path, IReadOnlyList<string> matches)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("start", SyntheticMetrics.Start.ToString(CultureInfo.InvariantCulture)),
            new("end", SyntheticMetrics.End.ToString(CultureInfo.InvariantCulture)),
        };
        form.AddRange(matches.Select(m => new KeyValuePair<string, string>("match[]", m)));
        // GET: Prometheus 2.42 serves label values only over GET.
        var query = string.Join("&", form.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value)));
        using var response = await http.GetAsync(new Uri(server, path + "?" + query));
        var body = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        if (doc.RootElement.GetProperty("status").GetString() != "success")
        {
            return "error: " + doc.RootElement.GetProperty("error").GetString();
        }
        // Sorted, so that the comparison does not depend on the order of the union.
        var items = doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object
            ? string.Join(",", e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + "=" + p.Value.GetString()))
            : e.GetString()!).Order(StringComparer.Ordinal);
        return string.Join("\n", items);
    }
}
