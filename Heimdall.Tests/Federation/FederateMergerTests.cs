using System.Text;
using Heimdall.Core.Federation;

namespace Heimdall.Tests.Federation;

public class FederateMergerTests
{
    private static TenantResponse Response(string tenant, string text) => new([tenant], Encoding.UTF8.GetBytes(text));

    private static (MergeResult Result, string Text) Merge(bool federated, params TenantResponse[] responses)
    {
        var output = new StringBuilder();
        var result = FederateMerger.Merge(responses, federated, output);
        return (result, output.ToString());
    }

    [Fact]
    public void AddsTenantLabel_KeepsExistingOneAsOriginal_AndEachFamilyOnce()
    {
        var (result, text) = Merge(true,
            Response("acme", "# TYPE up untyped\nup{job=\"a\",__tenant_id__=\"x\"} 1 1000\n# TYPE b_total untyped\nb_total 2 1000\n"),
            Response("globex", "# TYPE up untyped\nup{job=\"g\"} 0 1000\n"));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("""
            # TYPE b_total untyped
            b_total{__tenant_id__="acme"} 2 1000
            # TYPE up untyped
            up{__tenant_id__="acme",job="a",original___tenant_id__="x"} 1 1000
            up{__tenant_id__="globex",job="g"} 0 1000

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void KeepsSamplesOfAFamilyTogether_AndDropsConflictingTypeAndHelp()
    {
        var (result, text) = Merge(true,
            Response("acme", "# HELP h Latency.\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 2\nh_count 1\n"),
            Response("globex", "# HELP h Other.\n# TYPE h summary\nh_sum 3\n"));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("""
            h_bucket{__tenant_id__="acme",le="+Inf"} 1
            h_sum{__tenant_id__="acme"} 2
            h_count{__tenant_id__="acme"} 1
            h_sum{__tenant_id__="globex"} 3

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void LeavesGroupAnswersAndSingleTenantRequestsUnlabelled()
    {
        var grouped = new TenantResponse(["acme", "globex"], Encoding.UTF8.GetBytes("m{__tenant_id__=\"acme\"} 1\n"));
        var (result, text) = Merge(true, grouped, Response("initech", "m 2\n"));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("m{__tenant_id__=\"acme\"} 1\nm{__tenant_id__=\"initech\"} 2\n", text);

        var (_, alone) = Merge(false, Response("acme", "m{a=\"b\\\"c\"} 1\n"));
        Assert.Equal("m{a=\"b\\\"c\"} 1\n", alone);
    }

    [Theory]
    [InlineData("m{a=\"x} 1\n")]
    [InlineData("m{a=x} 1\n")]
    [InlineData("m{a=\"x\"}\n")]
    [InlineData("1m 1\n")]
    [InlineData("{\"m\"} 1\n")]
    [InlineData("m{a=\"x\" b=\"y\"} 1\n")]
    public void FailsWithoutWriting_OnAMalformedLine(string line)
    {
        var output = new StringBuilder();
        var result = FederateMerger.Merge([Response("acme", "ok 1\n"), Response("globex", line)], true, output);
        Assert.Equal(502, result.StatusCode);
        Assert.Contains("tenant globex", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }
}
