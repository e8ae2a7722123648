using System.Buffers;
using System.Text;
using System.Text.Json;
using Heimdall.Core.Federation;

namespace Heimdall.Tests.Federation;

public class MetadataMergerTests
{
    private const string Acme = """
        {"status":"success","data":{
          "a_total":[{"type":"counter","help":"A.","unit":""}],
          "h":[{"type":"histogram","help":"H.","unit":""}],
          "secret":[{"type":"gauge","help":"S.","unit":""}]}}
        """;

    private const string Globex = """
        {"status":"success","data":{
          "a_total":[{"type":"counter","help":"A.","unit":""},{"type":"counter","help":"A2.","unit":""}],
          "g":[{"type":"gauge","help":"G.","unit":""}]},"warnings":["w"]}
        """;

    private static TenantResponse Response(string tenant, string json) => new([tenant], Encoding.UTF8.GetBytes(json));

    private static TenantResponse Names(string tenant, params string[] names) =>
        Response(tenant, JsonSerializer.Serialize(new { status = "success", data = names }));

    private static (MergeResult Result, JsonElement Body) Merge(IReadOnlyList<TenantResponse> metadata, IReadOnlyList<TenantResponse> names,
        MetadataPlan plan)
    {
        var output = new ArrayBufferWriter<byte>();
        var result = MetadataMerger.Merge(metadata, names, plan, output);
        return (result, output.WrittenCount == 0 ? default : JsonDocument.Parse(output.WrittenMemory).RootElement.Clone());
    }

    private static string[] Families(JsonElement body) => [.. body.GetProperty("data").EnumerateObject().Select(p => p.Name)];

    [Theory]
    [InlineData("h", "histogram", "h_bucket", true)]
    [InlineData("h", "histogram", "h_count", true)]
    [InlineData("h", "histogram", "h", true)] // native histograms
    [InlineData("h", "histogram", "h_total", false)]
    [InlineData("s", "summary", "s_sum", true)]
    [InlineData("s", "summary", "s_bucket", false)]
    [InlineData("c", "counter", "c_total", true)] // OpenMetrics: metadata "c", series "c_total"
    [InlineData("c_total", "counter", "c_total", true)] // Go clients in text format: both "c_total"
    [InlineData("c", "counter", "c_sum", false)]
    [InlineData("g", "gauge", "g_sum", false)]
    [InlineData("i", "info", "i_info", true)]
    [InlineData("gh", "gaugehistogram", "gh_gcount", true)]
    [InlineData("u", "unknown", "u_total", false)]
    public void FamilyIsVisible_WhenOneOfTheNamesItsTypeProducesIs(string family, string type, string name, bool visible) =>
        Assert.Equal(visible, MetadataMerger.IsVisible(family, type, new HashSet<string>([name])));

    [Fact]
    public void FiltersRestrictedTenants_MergesWithoutDuplicates_KeepsUnrestrictedOnesWhole()
    {
        var plan = new MetadataPlan { RestrictedTenants = ["globex"] };
        var (result, body) = Merge([Response("acme", Acme), Response("globex", Globex)], [Names("globex", "a_total")], plan);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["a_total", "h", "secret"], Families(body));
        Assert.Equal(2, body.GetProperty("data").GetProperty("a_total").GetArrayLength());
        Assert.Equal(["w"], body.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public void DropsARestrictedTenant_WhoseNamesAreUnknown()
    {
        var plan = new MetadataPlan { RestrictedTenants = ["acme", "globex"] };
        var (result, body) = Merge([Response("acme", Acme), Response("globex", Globex)], [Names("acme", "h_bucket")], plan);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["h"], Families(body));
    }

    [Theory]
    [InlineData(-1, -1, new[] { "a_total", "g", "h", "secret" }, 2)]
    [InlineData(2, -1, new[] { "a_total", "g" }, 2)]
    [InlineData(0, -1, new string[0], 0)]
    [InlineData(-1, 1, new[] { "a_total", "g", "h", "secret" }, 1)]
    [InlineData(-1, 0, new[] { "a_total", "g", "h", "secret" }, 2)]
    public void AppliesLimits_AfterMerging(int limit, int limitPerMetric, string[] families, int counterEntries)
    {
        var plan = new MetadataPlan { Limit = limit, LimitPerMetric = limitPerMetric };
        var (result, body) = Merge([Response("acme", Acme), Response("globex", Globex)], [], plan);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(families, Families(body));
        if (counterEntries > 0)
        {
            Assert.Equal(counterEntries, body.GetProperty("data").GetProperty("a_total").GetArrayLength());
        }
    }

    [Theory]
    [InlineData("""{"status":"error","error":"x"}""", false)]
    [InlineData("""{"status":"success","data":[1]}""", true)]
    [InlineData("not json", false)]
    public void FailsWithoutWriting_OnABadUpstreamAnswer(string bad, bool inNames)
    {
        var output = new ArrayBufferWriter<byte>();
        var plan = new MetadataPlan { RestrictedTenants = ["globex"] };
        var result = inNames
            ? MetadataMerger.Merge([Response("globex", Globex)], [Response("globex", bad)], plan, output)
            : MetadataMerger.Merge([Response("acme", bad)], [], plan, output);
        Assert.Equal(502, result.StatusCode);
        Assert.Equal(0, output.WrittenCount);
    }
}
