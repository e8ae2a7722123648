using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Tests.PromQL.Ast;

public sealed class PromQLRewriterTests
{
    private sealed class AddMatcher(LabelMatcher matcher) : PromQLRewriter
    {
        public override Expr VisitVectorSelector(VectorSelector node) => node with { LabelMatchers = node.LabelMatchers.Add(matcher) };
    }

    private sealed class SelectorCounter : PromQLWalker
    {
        public int Count { get; private set; }

        public override bool VisitVectorSelector(VectorSelector node)
        {
            Count++;
            return true;
        }
    }

    [Theory]
    [InlineData("up", "up{env=\"prod\"}")]
    [InlineData("sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m] offset 1h))",
        "sum by (job) (rate(http_requests_total{code=~\"5..\",env=\"prod\"}[5m] offset 1h))")]
    [InlineData("max_over_time(rate(x[1m])[1h:] @ end()) / on (a) group_left y",
        "max_over_time(rate(x{env=\"prod\"}[1m])[1h:] @ end()) / on (a) group_left () y{env=\"prod\"}")]
    [InlineData("topk(3, -x) or vector(1)", "topk(3, -x{env=\"prod\"}) or vector(1)")]
    [InlineData("label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\")", "label_replace(x{env=\"prod\"}, \"a\", \"$1\", \"b\", \"(.*)\")")]
    public void RewritesEverySelector(string query, string expected)
    {
        var rewritten = new AddMatcher(new LabelMatcher(LabelMatchType.Equal, "env", "prod")).Visit(PromQLParser.Parse(query));
        Assert.Equal(expected, rewritten.ToString());
    }

    [Fact]
    public void ReturnsSameInstance_WhenNothingChanges()
    {
        var expr = PromQLParser.Parse("sum(rate(x[5m])) / count(y offset 1m) + max_over_time(abs(z)[5m:1m] @ 10) + scalar(w)");
        Assert.Same(expr, new NoChange().Visit(expr));
    }

    private sealed class NoChange : PromQLRewriter
    {
    }

    [Fact]
    public void WalkerVisitsEverySelector()
    {
        var counter = new SelectorCounter();
        counter.Walk(PromQLParser.Parse("a + on (x) sum(rate(b[5m])) + count_values(\"v\", c) + last_over_time(d[5m:] offset 1m) + e @ 1"));
        Assert.Equal(5, counter.Count);
    }

    [Fact]
    public void TreesCompareStructurally_IgnoringPositions()
    {
        Assert.Equal(PromQLParser.Parse("sum(x{a=\"b\"})"), PromQLParser.Parse("  sum ( x { a = 'b' } ) "));
        Assert.NotEqual(PromQLParser.Parse("sum(x)"), PromQLParser.Parse("avg(x)"));
        Assert.NotEqual(PromQLParser.Parse("x offset 1m"), PromQLParser.Parse("x offset 2m"));
        Assert.Equal(PromQLParser.Parse("x").GetHashCode(), PromQLParser.Parse(" x").GetHashCode());
    }
}
