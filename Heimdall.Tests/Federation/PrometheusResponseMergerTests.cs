using System.Buffers;
using System.Text;
using System.Text.Json;
using Heimdall.Core.Federation;
using Heimdall.Core.Policy;

namespace Heimdall.Tests.Federation;

public class PrometheusResponseMergerTests
{
    private static TenantResponse R(string tenant, string json, IGrantMatcher? grant = null) => new([tenant], Encoding.UTF8.GetBytes(json), grant);

    private static (MergeResult Result, string Output) Merge(ResponseKind kind, params TenantResponse[] responses) => Merge(kind, null, responses);

    private static (MergeResult Result, string Output) Merge(ResponseKind kind, IReadOnlyList<string>? warnings, params TenantResponse[] responses)
    {
        var output = new ArrayBufferWriter<byte>();
        var result = PrometheusResponseMerger.Merge(kind, responses, output, warnings);
        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        if (result.Succeeded)
        {
            using var _ = JsonDocument.Parse(text); // always valid JSON
        }
        return (result, text);
    }

    [Fact]
    public void AddsTenantLabel_AndSortsVectorByLabelSet()
    {
        var (result, output) = Merge(ResponseKind.Query,
            R("b", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a"},"value":[1,"1"]},{"metric":{"__name__":"up","job":"z"},"value":[1,"0"]}]}}"""),
            R("a", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"m"},"value":[1,"2"]}]}}"""));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(
            """{"status":"success","data":{"resultType":"vector","result":[""" +
            """{"metric":{"__name__":"up","__tenant_id__":"a","job":"m"},"value":[1,"2"]},""" +
            """{"metric":{"__name__":"up","__tenant_id__":"b","job":"a"},"value":[1,"1"]},""" +
            """{"metric":{"__name__":"up","__tenant_id__":"b","job":"z"},"value":[1,"0"]}]}}""", output);
    }

    [Fact]
    public void SortsAsLabelsCompare_PrefixFirst_AndByteWise()
    {
        var (_, output) = Merge(ResponseKind.Query,
            R("t", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"x","b":"1"},"value":[1,"1"]},{"metric":{"a":"x"},"value":[1,"2"]},{"metric":{"a":"\u00e9"},"value":[1,"3"]},{"metric":{"a":"Z"},"value":[1,"4"]}]}}"""),
            R("u", """{"status":"success","data":{"resultType":"vector","result":[]}}"""));
        using var doc = JsonDocument.Parse(output);
        var values = doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(e => e.GetProperty("value")[1].GetString()!).ToArray();
        // a="Z" < __tenant_id__? No: label names compare first: "__tenant_id__" < "a" (0x5F < 0x61), all share __tenant_id__="t".
        // Then a: "Z" (0x5A) < "x" < "é" (0xC3..); {a=x} is a prefix of {a=x,b=1}.
        Assert.Equal(["4", "2", "1", "3"], values);
    }

    [Fact]
    public void KeepsExistingTenantLabel_AsOriginal()
    {
        var (_, output) = Merge(ResponseKind.Query,
            R("acme", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__tenant_id__":"inner","job":"j"},"value":[1,"1"]}]}}"""),
            R("globex", """{"status":"success","data":{"resultType":"vector","result":[]}}"""));
        Assert.Contains("""{"metric":{"__tenant_id__":"acme","job":"j","original___tenant_id__":"inner"}""", output);
    }

    [Fact]
    public void DoesNotRelabel_ResponseOfATenantGroup()
    {
        // Two tenants with identical grants share one federated upstream request: its series are already labelled.
        var group = new TenantResponse(["a", "b"], Encoding.UTF8.GetBytes(
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__tenant_id__":"b","x":"1"},"value":[1,"1"]},{"metric":{"__tenant_id__":"a","x":"1"},"value":[1,"1"]}]}}"""));
        var (_, output) = Merge(ResponseKind.Query, group,
            R("c", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"x":"1"},"value":[1,"1"]}]}}"""));
        Assert.Equal(
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__tenant_id__":"a","x":"1"},"value":[1,"1"]},{"metric":{"__tenant_id__":"b","x":"1"},"value":[1,"1"]},{"metric":{"__tenant_id__":"c","x":"1"},"value":[1,"1"]}]}}""",
            output);
    }

    [Fact]
    public void MergesMatrix_KeepingValuesAndHistograms_AndEscapes()
    {
        var (result, output) = Merge(ResponseKind.Query,
            R("a", """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"q":"a\"b\\c\u0001"},"values":[[1,"1"],[2,"2"]],"histograms":[[3,{"count":"1","sum":"2","buckets":[[0,"1","2","1"]]}]]}]}}"""),
            R("b", """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"q":"x"},"values":[[1,"5"]]}]}}"""));
        Assert.True(result.Succeeded);
        using var doc = JsonDocument.Parse(output);
        var series = doc.RootElement.GetProperty("data").GetProperty("result");
        Assert.Equal("matrix", doc.RootElement.GetProperty("data").GetProperty("resultType").GetString());
        Assert.Equal("a\"b\\c\u0001", series[0].GetProperty("metric").GetProperty("q").GetString());
        Assert.Equal("""[[1,"1"],[2,"2"]]""", series[0].GetProperty("values").GetRawText());
        Assert.Equal(3, series[0].GetProperty("histograms")[0][0].GetInt32());
        Assert.Equal("b", series[1].GetProperty("metric").GetProperty("__tenant_id__").GetString());
    }

    [Fact]
    public void KeepsWarningsAndInfosOnce_AndAddsGatewayWarnings()
    {
        var (_, output) = Merge(ResponseKind.Query, ["tenant c: timed out"],
            R("a", """{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["w1","w2"],"infos":["i1"]}"""),
            R("b", """{"status":"success","warnings":["w2","w3"],"data":{"resultType":"vector","result":[]},"infos":["i1"]}"""));
        Assert.EndsWith("""
            "warnings":["w1","w2","w3","tenant c: timed out"],"infos":["i1"]}
            """, output);
    }

    [Fact]
    public void Reads_PrettyPrintedResponses()
    {
        var (result, output) = Merge(ResponseKind.Query,
            R("a", "{\n  \"status\" : \"success\",\n  \"data\" : {\n    \"resultType\" : \"matrix\",\n    \"result\" : [\n      { \"metric\" : { \"b\" : \"2\" , \"a\" : \"1\" } ,\n        \"values\" : [ [ 1 , \"1\" ] , [ 2 , \"NaN\" ] ] }\n    ] ,\n    \"stats\" : { \"x\" : 1 }\n  },\n  \"warnings\" : [ \"w\" ]\n}\n"),
            R("b", """{"status":"success","data":{"resultType":"matrix","result":[]}}"""));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(
            """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__tenant_id__":"a","a":"1","b":"2"},"values":[ [ 1 , "1" ] , [ 2 , "NaN" ] ]}],"stats":{"x":1}},"warnings":["w"]}""",
            output);
    }

    [Fact]
    public void SumsStats()
    {
        var (_, output) = Merge(ResponseKind.Query,
            R("a", """{"status":"success","data":{"resultType":"vector","result":[],"stats":{"timings":{"evalTotalTime":0.5},"samples":{"totalQueryableSamples":10,"peakSamples":4,"totalQueryableSamplesPerStep":[[1,3],[2,7]]}}}}"""),
            R("b", """{"status":"success","data":{"resultType":"vector","result":[],"stats":{"timings":{"evalTotalTime":0.25},"samples":{"totalQueryableSamples":5,"peakSamples":2,"totalQueryableSamplesPerStep":[[1,1],[3,4]]}}}}"""));
        using var doc = JsonDocument.Parse(output);
        var stats = doc.RootElement.GetProperty("data").GetProperty("stats");
        Assert.Equal(0.75, stats.GetProperty("timings").GetProperty("evalTotalTime").GetDouble());
        Assert.Equal(15, stats.GetProperty("samples").GetProperty("totalQueryableSamples").GetInt64());
        Assert.Equal(6, stats.GetProperty("samples").GetProperty("peakSamples").GetInt64());
        Assert.Equal("[[1,4],[2,7],[3,4]]", stats.GetProperty("samples").GetProperty("totalQueryableSamplesPerStep").GetRawText());
    }

    [Fact]
    public void MergesEqualScalars_RefusesDifferentOnes()
    {
        var (ok, output) = Merge(ResponseKind.Query,
            R("a", """{"status":"success","data":{"resultType":"scalar","result":[1.5,"2"]}}"""),
            R("b", """{"status":"success","data":{"resultType":"scalar","result":[1.5,"2"]}}"""));
        Assert.True(ok.Succeeded);
        Assert.Equal("""{"status":"success","data":{"resultType":"scalar","result":[1.5,"2"]}}""", output);

        var (bad, nothing) = Merge(ResponseKind.Query,
            R("a", """{"status":"success","data":{"resultType":"scalar","result":[1.5,"2"]}}"""),
            R("b", """{"status":"success","data":{"resultType":"scalar","result":[1.5,"3"]}}"""));
        Assert.Equal(422, bad.StatusCode);
        Assert.Empty(nothing);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":1}}]}}""")]
    [InlineData("""{"status":"error","errorType":"bad_data","error":"x"}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]}""")]
    [InlineData("""[]""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"}]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,<b>]}]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"\q"},"value":[1,"1"]}]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"value":[1,"1"]}]}}""")]
    public void Fails_NamingTheTenant_WithoutWriting(string body)
    {
        var (result, output) = Merge(ResponseKind.Query,
            R("good", """{"status":"success","data":{"resultType":"vector","result":[]}}"""), R("broken", body));
        Assert.Equal(502, result.StatusCode);
        Assert.StartsWith("tenant broken:", result.Error);
        Assert.Empty(output);
    }

    [Fact]
    public void Refuses_DifferentResultTypes()
    {
        var (result, _) = Merge(ResponseKind.Query,
            R("a", """{"status":"success","data":{"resultType":"vector","result":[]}}"""),
            R("b", """{"status":"success","data":{"resultType":"matrix","result":[]}}"""));
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void MergesSeries()
    {
        var (_, output) = Merge(ResponseKind.Series,
            R("b", """{"status":"success","data":[{"__name__":"up","job":"x"}]}"""),
            R("a", """{"status":"success","data":[{"job":"x","__name__":"up"},{"__name__":"down"}]}"""));
        Assert.Equal(
            """{"status":"success","data":[{"__name__":"down","__tenant_id__":"a"},{"__name__":"up","__tenant_id__":"a","job":"x"},{"__name__":"up","__tenant_id__":"b","job":"x"}]}""",
            output);
    }

    [Fact]
    public void UnionsLabelNames_WithTenantLabel()
    {
        var (_, output) = Merge(ResponseKind.LabelNames,
            R("a", """{"status":"success","data":["job","__name__","instance"]}"""),
            R("b", """{"status":"success","data":["__tenant_id__","job","zone"]}"""));
        Assert.Equal("""{"status":"success","data":["__name__","__tenant_id__","instance","job","original___tenant_id__","zone"]}""", output);
    }

    [Fact]
    public void UnionsLabelValues_SortedByBytes()
    {
        var (_, output) = Merge(ResponseKind.LabelValues,
            R("a", """{"status":"success","data":["b","\u00e9","A"]}"""),
            R("b", """{"status":"success","data":["a","b","\ud83d\ude00","\uffff"]}"""));
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(["A", "a", "b", "é", "\uffff", "😀"], doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void MergesMetadata_PerMetric_WithoutDuplicates()
    {
        var (_, output) = Merge(ResponseKind.Metadata,
            R("a", """{"status":"success","data":{"up":[{"type":"gauge","help":"Up.","unit":""}],"b_total":[{"type":"counter","help":"B.","unit":""}]}}"""),
            R("b", """{"status":"success","data":{"up":[{"type":"gauge","help":"Up.","unit":""},{"type":"gauge","help":"Other.","unit":""}]}}"""));
        Assert.Equal(
            """{"status":"success","data":{"b_total":[{"type":"counter","help":"B.","unit":""}],"up":[{"type":"gauge","help":"Up.","unit":""},{"type":"gauge","help":"Other.","unit":""}]}}""",
            output);
    }

    [Fact]
    public void MergesExemplars_WithTenantInSeriesLabels()
    {
        var (_, output) = Merge(ResponseKind.Exemplars,
            R("a", """{"status":"success","data":[{"seriesLabels":{"job":"x"},"exemplars":[{"labels":{"trace_id":"1"},"value":"1","timestamp":1}]}]}"""),
            R("b", """{"status":"success","data":[]}"""));
        Assert.Equal(
            """{"status":"success","data":[{"seriesLabels":{"__tenant_id__":"a","job":"x"},"exemplars":[{"labels":{"trace_id":"1"},"value":"1","timestamp":1}]}]}""",
            output);
    }

    [Fact]
    public void FiltersRules_ByEachTenantsGrant_AndConcatenatesGroups()
    {
        var grant = LabelMatcherGrant.TryCreate(new TenantDecision { Allow = true, Filters = [["env=\"prod\""]] }, out _)!;
        const string rules = """
            {"status":"success","data":{"groups":[
              {"name":"g1","file":"f","rules":[
                {"type":"recording","name":"r:prod","query":"x","labels":{"env":"prod"}},
                {"type":"recording","name":"r:dev","query":"x","labels":{"env":"dev"}},
                {"type":"alerting","name":"A","query":"y","labels":{"env":"prod"},"alerts":[
                  {"labels":{"alertname":"A","env":"prod"},"state":"firing","value":"1"},
                  {"labels":{"alertname":"A","env":"dev"},"state":"firing","value":"1"}]}],"interval":60},
              {"name":"g2","file":"f","rules":[{"type":"recording","name":"r:dev2","query":"x","labels":{"env":"dev"}}]}]}}
            """;
        var (_, output) = Merge(ResponseKind.Rules, R("a", rules, grant), R("b", rules, LabelMatcherGrant.Unrestricted));
        using var doc = JsonDocument.Parse(output);
        var groups = doc.RootElement.GetProperty("data").GetProperty("groups");
        Assert.Equal(3, groups.GetArrayLength()); // a: g1 only (g2 emptied), b: g1 and g2
        var a = groups[0].GetProperty("rules");
        Assert.Equal(["r:prod", "A"], a.EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Single(a[1].GetProperty("alerts").EnumerateArray());
        Assert.Equal(60, groups[0].GetProperty("interval").GetInt32());
        Assert.Equal(3, groups[1].GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public void FiltersAlerts()
    {
        var grant = LabelMatcherGrant.TryCreate(new TenantDecision { Allow = true, Filters = [["team=~\"a|b\""], ["alertname=\"Watchdog\""]] }, out _)!;
        var (_, output) = Merge(ResponseKind.Alerts, R("a", """
            {"status":"success","data":{"alerts":[
              {"labels":{"alertname":"X","team":"a"},"state":"firing"},
              {"labels":{"alertname":"X","team":"c"},"state":"firing"},
              {"labels":{"alertname":"Watchdog"},"state":"firing"}]}}
            """, grant), R("b", """{"status":"success","data":{"alerts":[]}}""", grant));
        using var doc = JsonDocument.Parse(output);
        var alerts = doc.RootElement.GetProperty("data").GetProperty("alerts");
        Assert.Equal(["a", null], alerts.EnumerateArray().Select(a => a.GetProperty("labels").TryGetProperty("team", out var t) ? t.GetString() : null));
    }
}
