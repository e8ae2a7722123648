using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Tests.PromQL.Parser;

public sealed class PromQLParserTests
{
    // Prometheus 3.x syntax that Debian's 2.42 cannot parse; expected text follows 3.x's printer.go
    // (label names that are not legacy-valid are quoted; a quoted metric name stays a __name__ matcher).
    [Theory]
    [InlineData("{\"http.requests\", \"service.name\"=\"x\"}", "{\"service.name\"=\"x\",__name__=\"http.requests\"}")]
    [InlineData("{\"http.requests\"}", "{__name__=\"http.requests\"}")]
    [InlineData("rate({\"http.requests\"}[5m])", "rate({__name__=\"http.requests\"}[5m])")]
    [InlineData("sum by (\"service.name\") (x)", "sum by (\"service.name\") (x)")]
    [InlineData("sum by (\"job\") (x)", "sum by (job) (x)")]
    [InlineData("up{\"service.name\"=~\"a|b\"}", "up{\"service.name\"=~\"a|b\"}")]
    [InlineData("x * on(\"a.b\") group_left(\"c.d\") y", "x * on (\"a.b\") group_left (\"c.d\") y")]
    [InlineData("limitk(5, up)", "limitk(5, up)")]
    [InlineData("limit_ratio(0.5, up)", "limit_ratio(0.5, up)")]
    [InlineData("limitk(2, up) by (job)", "limitk by (job) (2, up)")]
    [InlineData("limit_ratio without (pod) (-0.25, up)", "limit_ratio without (pod) (-0.25, up)")]
    [InlineData("foo * ignoring() group_left() bar", "foo * ignoring () group_left () bar")]
    [InlineData("foo * ignoring() group_right bar", "foo * ignoring () group_right () bar")]
    [InlineData("histogram_avg(rate(x[5m]))", "histogram_avg(rate(x[5m]))")]
    [InlineData("histogram_stddev(x)", "histogram_stddev(x)")]
    [InlineData("histogram_stdvar(x)", "histogram_stdvar(x)")]
    [InlineData("double_exponential_smoothing(x[5m], 0.5, 0.1)", "double_exponential_smoothing(x[5m], 0.5, 0.1)")]
    [InlineData("sort_by_label(up, \"job\", \"instance\")", "sort_by_label(up, \"job\", \"instance\")")]
    [InlineData("sort_by_label_desc(up, \"job\")", "sort_by_label_desc(up, \"job\")")]
    [InlineData("mad_over_time(x[5m])", "mad_over_time(x[5m])")]
    [InlineData("ts_of_max_over_time(x[1h])", "ts_of_max_over_time(x[1h])")]
    [InlineData("info(up)", "info(up)")]
    [InlineData("info(up, {k8s_cluster_name=~\".+\"})", "info(up, {k8s_cluster_name=~\".+\"})")]
    public void PrintsPrometheus3Form_ForSyntaxNewerThanTheReferenceServer(string query, string expected)
    {
        var expr = PromQLParser.Parse(query);
        Assert.Equal(expected, expr.ToString());
        Assert.Equal(expr, PromQLParser.Parse(expr.ToString()));
    }

    [Theory]
    [InlineData("limitk(\"a\", up)", "1:8: parse error: expected type scalar in aggregation parameter, got string")]
    [InlineData("limitk(up)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1")]
    [InlineData("sort_by_label(up, 1)", "1:19: parse error: expected type string in call to function \"sort_by_label\", got scalar")]
    [InlineData("{\"a.b\"=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher")]
    [InlineData("foo{\"a\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"a\"")]
    [InlineData("", "1:1: parse error: no expression found in input")]
    [InlineData("   # only a comment", "1:20: parse error: no expression found in input")]
    [InlineData("up{a=\"\\xff\"}", "1:6: parse error: invalid UTF-8 in string literal")]
    [InlineData("up{a=~\"(?=x)\"}", "1:4: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`: `(?=x)`")]
    [InlineData("up{a=~\"(a)\\\\1\"}", "1:4: parse error: error parsing regexp: invalid escape sequence: `\\1`: `(a)\\1`")]
    [InlineData("x[5m] @ start() @ end()", "1:1: parse error: @ <timestamp> may not be set multiple times")]
    [InlineData("x\n+\n)", "3:2: parse error: unexpected right parenthesis ')'")]
    [InlineData("sum(x)\n  by (ü", "2:7: parse error: unexpected character: 'ü'")]
    [InlineData("\"é\" + ü", "1:8: parse error: unexpected character: 'ü'")]
    public void Fails_WithPrometheusStyleError(string query, string expected)
    {
        var ex = Assert.Throws<PromQLParseException>(() => PromQLParser.Parse(query));
        Assert.Equal(expected, ex.Message);
        Assert.False(PromQLParser.TryParse(query, out var expr, out var error));
        Assert.Null(expr);
        Assert.Equal(expected, error!.ToString());
    }

    [Fact]
    public void BuildsTypedTree_WithPositions()
    {
        var expr = PromQLParser.Parse("sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m] offset 1m))");
        var agg = Assert.IsType<AggregateExpr>(expr);
        Assert.Equal(AggregationOperator.Sum, agg.Operator);
        Assert.Equal(["job"], agg.Grouping.ToArray());
        Assert.False(agg.Without);
        Assert.Equal(new PositionRange(0, 67), agg.Position);
        var call = Assert.IsType<Call>(agg.Expr);
        Assert.Equal("rate", call.Function.Name);
        Assert.Equal(PromQLValueType.InstantVector, call.Type);
        var matrix = Assert.IsType<MatrixSelector>(Assert.Single(call.Args));
        Assert.Equal(TimeSpan.FromMinutes(5), matrix.Range);
        Assert.Equal(PromQLValueType.RangeVector, matrix.Type);
        var vs = matrix.VectorSelector;
        Assert.Equal("http_requests_total", vs.Name);
        Assert.Equal(TimeSpan.FromMinutes(1), vs.Offset);
        Assert.Equal(
            [new LabelMatcher(LabelMatchType.Regex, "code", "5.."), new LabelMatcher(LabelMatchType.Equal, "__name__", "http_requests_total")],
            vs.LabelMatchers.ToArray());
        Assert.Equal(new PositionRange(19, 51), vs.Position);
    }

    [Theory]
    [InlineData("a + b * c", "a + (b * c)")]
    [InlineData("a * b + c", "(a * b) + c")]
    [InlineData("a - b - c", "(a - b) - c")]
    [InlineData("a ^ b ^ c", "a ^ (b ^ c)")]
    [InlineData("-a ^ b", "-(a ^ b)")]
    [InlineData("-a * b", "(-a) * b")]
    [InlineData("a or b and c", "a or (b and c)")]
    [InlineData("a and b unless c", "(a and b) unless c")]
    [InlineData("a == b + c", "a == (b + c)")]
    [InlineData("a + b offset 5m", "a + (b offset 5m)")]
    [InlineData("a atan2 b * c", "(a atan2 b) * c")]
    [InlineData("a > b or c < d", "(a > b) or (c < d)")]
    public void AppliesPrometheusPrecedenceAndAssociativity(string query, string parenthesized)
    {
        // Removing the redundant parentheses from the explicit form must give the same tree.
        Assert.Equal(StripParens(PromQLParser.Parse(parenthesized)), PromQLParser.Parse(query));
    }

    private static Expr StripParens(Expr expr) => new ParenStripper().Visit(expr);

    private sealed class ParenStripper : PromQLRewriter
    {
        public override Expr VisitParen(ParenExpr node) => Visit(node.Expr);
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-1", -1.0)]
    [InlineData("- - 2", 2.0)]
    [InlineData("0x1F", 31.0)]
    [InlineData("010", 8.0)]
    [InlineData("09", 9.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    public void FoldsSignsIntoNumberLiterals(string query, double value) =>
        Assert.Equal(value, Assert.IsType<NumberLiteral>(PromQLParser.Parse(query)).Value);

    [Fact]
    public void ParsesNaN() => Assert.True(double.IsNaN(Assert.IsType<NumberLiteral>(PromQLParser.Parse("NaN")).Value));

    [Theory]
    [InlineData("\"a\\x41\\u00e9\\U0001F600\\101\\n\"", "aAé😀A\n")]
    [InlineData("'it\\'s'", "it's")]
    [InlineData("`C:\\raw\\n`", "C:\\raw\\n")]
    [InlineData("\"\\a\\b\\f\\r\\t\\v\\\\\\\"\"", "\a\b\f\r\t\v\\\"")]
    [InlineData("\"\\xc3\\xa9\"", "é")]
    public void DecodesStringEscapes(string query, string value) =>
        Assert.Equal(value, Assert.IsType<StringLiteral>(PromQLParser.Parse(query)).Value);

    [Theory]
    [InlineData("x[1h30m]", 90 * 60 * 1000L)]
    [InlineData("x[1y]", 365L * 24 * 3600 * 1000)]
    [InlineData("x[2w]", 14L * 24 * 3600 * 1000)]
    [InlineData("x[1d12h]", 36L * 3600 * 1000)]
    [InlineData("x[1500ms]", 1500L)]
    [InlineData("x[1m1s1ms]", 61001L)]
    public void ParsesCompoundDurations(string query, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Assert.IsType<MatrixSelector>(PromQLParser.Parse(query)).Range);

    [Fact]
    public void ParsesAtAndSubqueryModifiers()
    {
        var sub = Assert.IsType<SubqueryExpr>(PromQLParser.Parse("rate(x[1m])[5m:] @ end() offset -1m"));
        Assert.Equal(TimeSpan.FromMinutes(5), sub.Range);
        Assert.Equal(TimeSpan.Zero, sub.Step);
        Assert.Equal(AtModifier.End, sub.At);
        Assert.Equal(TimeSpan.FromMinutes(-1), sub.Offset);
        var vs = Assert.IsType<VectorSelector>(PromQLParser.Parse("x @ 1609746000.1234"));
        Assert.Equal(AtModifier.At(1609746000123), vs.At);
    }

    [Fact]
    public void MarksSetOperatorsManyToMany_AndDropsMatchingForScalars()
    {
        var set = Assert.IsType<BinaryExpr>(PromQLParser.Parse("a and on (x) b"));
        Assert.Equal(new VectorMatching(VectorMatchCardinality.ManyToMany, ["x"], true, default), set.Matching);
        var scalar = Assert.IsType<BinaryExpr>(PromQLParser.Parse("a + on () 1"));
        Assert.Null(scalar.Matching);
        var grouped = Assert.IsType<BinaryExpr>(PromQLParser.Parse("a / ignoring (code) group_left (x) b"));
        Assert.Equal(new VectorMatching(VectorMatchCardinality.ManyToOne, ["code"], false, ["x"]), grouped.Matching);
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("by")]
    [InlineData("offset")]
    [InlineData("start")]
    [InlineData("avg{job=\"x\"}")]
    public void AcceptsKeywordsAsMetricNames(string query) =>
        Assert.IsType<VectorSelector>(PromQLParser.Parse(query));

    [Theory]
    [InlineData(100_000)]
    [InlineData(1_001)]
    public void RejectsDeepNesting_WithoutStackOverflow(int depth)
    {
        Assert.Throws<PromQLParseException>(() => PromQLParser.Parse(new string('(', depth) + "1" + new string(')', depth)));
        Assert.Throws<PromQLParseException>(() => PromQLParser.Parse(new string('-', depth) + "x"));
        Assert.Throws<PromQLParseException>(() => PromQLParser.Parse(string.Join(" + ", Enumerable.Repeat("x", depth))));
        Assert.Throws<PromQLParseException>(() => PromQLParser.Parse(string.Concat(Enumerable.Repeat("abs(", depth)) + "x" + new string(')', depth)));
        Assert.Throws<PromQLParseException>(() => PromQLParser.Parse(string.Concat(Enumerable.Repeat("sum(", depth)) + "x" + new string(')', depth)));
    }

    [Fact]
    public void AcceptsNestingWithinTheLimit()
    {
        var depth = 200;
        var expr = PromQLParser.Parse(new string('(', depth) + "1" + new string(')', depth));
        Assert.Equal(expr, PromQLParser.Parse(expr.ToString()));
        var chain = PromQLParser.Parse(string.Join(" or ", Enumerable.Range(0, 500).Select(i => $"up{{i=\"{i}\"}}")));
        Assert.IsType<BinaryExpr>(chain);
    }

    [Fact]
    public void ParsesAndMatches_RegexTooLargeForTheNonBacktrackingAutomaton()
    {
        // A Grafana multi-value variable expanded to thousands of alternatives: valid RE2, accepted by Prometheus.
        var values = Enumerable.Range(0, 5000).Select(i => "pod-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var expr = (VectorSelector)PromQLParser.Parse($"up{{pod=~\"{string.Join("|", values)}\"}}");
        var matcher = expr.LabelMatchers.Single(m => m.Name == "pod");
        Assert.True(matcher.Matches("pod-4999"));
        Assert.True(matcher.Matches("pod-0"));
        Assert.False(matcher.Matches("pod-5000"));
        Assert.False(matcher.Matches("xpod-1"));
    }

    [Fact]
    public void RejectsOverlongQueries() =>
        Assert.Throws<PromQLParseException>(() => PromQLParser.Parse(new string('x', PromQLParser.MaxQueryLength + 1)));

    [Fact]
    public void ThrowsOnlyParseExceptions_ForRandomInput()
    {
        var random = new Random(12345);
        const string alphabet = "abcxyz_:019.eEx+-*/%^=!~<>(){}[],@\"'`\\# \n\tйé😀";
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, 40);
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                chars[j] = random.Next(10) == 0 ? (char)random.Next(0, 0xFFFF) : alphabet[random.Next(alphabet.Length)];
            }
            AssertOnlyParseErrors(new string(chars));
        }
    }

    [Fact]
    public void ThrowsOnlyParseExceptions_ForMutatedCorpusQueries()
    {
        var random = new Random(54321);
        var queries = PromQLCorpusTests.ReadQueries("corpus.txt");
        const string inserts = "()[]{},:=~!@\"'`\\#-+*^ 5m0xby";
        foreach (var query in queries)
        {
            for (var k = 0; k < 20; k++)
            {
                var chars = query.ToList();
                for (var edits = random.Next(1, 4); edits > 0 && chars.Count > 0; edits--)
                {
                    var at = random.Next(chars.Count);
                    switch (random.Next(3))
                    {
                        case 0: chars.RemoveAt(at); break;
                        case 1: chars.Insert(at, inserts[random.Next(inserts.Length)]); break;
                        default: chars[at] = inserts[random.Next(inserts.Length)]; break;
                    }
                }
                AssertOnlyParseErrors(new string([.. chars]));
            }
        }
    }

    private static void AssertOnlyParseErrors(string query)
    {
        try
        {
            var expr = PromQLParser.Parse(query);
            // Whatever parses must print and re-parse to the same tree.
            Assert.Equal(expr, PromQLParser.Parse(expr.ToString()));
            Assert.Equal(expr, PromQLParser.Parse(expr.Pretty()));
        }
        catch (PromQLParseException ex)
        {
            Assert.Matches(@"^\d+:\d+: parse error: .", ex.Message);
        }
    }

    [Theory]
    [InlineData("env=\"prod\"", LabelMatchType.Equal, "env", "prod")]
    [InlineData(" team =~ \"a|b\" ", LabelMatchType.Regex, "team", "a|b")]
    [InlineData("\"service.name\"!=\"x\"", LabelMatchType.NotEqual, "service.name", "x")]
    [InlineData("env!~'dev.*'", LabelMatchType.NotRegex, "env", "dev.*")]
    [InlineData("__name__=\"up\"", LabelMatchType.Equal, "__name__", "up")]
    public void ParsesOneMatcher(string text, LabelMatchType type, string name, string value) =>
        Assert.Equal(new LabelMatcher(type, name, value), PromQLParser.ParseMatcher(text));

    [Theory]
    [InlineData("env")]
    [InlineData("env=prod")]
    [InlineData("env=\"prod\",team=\"a\"")]
    [InlineData("env=~\"(\"")]
    [InlineData("")]
    [InlineData("{env=\"prod\"}")]
    [InlineData("env==\"prod\"")]
    public void RejectsInvalidMatchers(string text)
    {
        Assert.Throws<PromQLParseException>(() => PromQLParser.ParseMatcher(text));
        Assert.False(PromQLParser.TryParseMatcher(text, out var matcher, out var error));
        Assert.Null(matcher);
        Assert.NotNull(error);
    }
}
