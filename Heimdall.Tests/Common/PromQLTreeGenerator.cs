using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Functions;

namespace Heimdall.Tests.Common;

/// <summary>
/// Generates random, well-typed PromQL trees (selectors with offsets and <c>@</c>, subqueries, functions, aggregations,
/// binary operators with matching); used by the printer round-trip property and the adversarial HTTP fuzzing.
/// </summary>
/// <param name="random">The source of randomness (seeded, so a failure can be replayed).</param>
/// <param name="metrics">Metric names to pick from; a default set (including names only Prometheus 3 parses unquoted) when null.</param>
/// <param name="labels">Label names to pick from; a default set (including UTF-8 names Prometheus 3 quotes) when null.</param>
internal sealed class PromQLTreeGenerator(Random random, string[]? metrics = null, string[]? labels = null)
{
    private static readonly string[] s_defaultMetrics = ["up", "http_requests_total", "node_cpu_seconds_total", "job:rate5m:sum", "sum", "by"];
    private static readonly string[] s_defaultLabels = ["job", "instance", "le", "code", "service.name", "a-b", "on", "__address__"];
    private static readonly string[] s_values = ["", "api", "5..", "a\"b", "C:\\\\x", "é\n", "prod|dev", ".+"];
    private static readonly double[] s_numbers = [0, 1, 2.5, 100000, 1e6, 1e-7, 0.1, 123456789, double.NaN, double.PositiveInfinity, -3, -0.5];
    private static readonly BinaryOperator[] s_arith =
        [BinaryOperator.Add, BinaryOperator.Sub, BinaryOperator.Mul, BinaryOperator.Div, BinaryOperator.Mod, BinaryOperator.Pow, BinaryOperator.Atan2];
    private static readonly BinaryOperator[] s_compare =
        [BinaryOperator.Eql, BinaryOperator.Neq, BinaryOperator.Gtr, BinaryOperator.Lss, BinaryOperator.Gte, BinaryOperator.Lte];

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];

    private TimeSpan Duration() => TimeSpan.FromMilliseconds(Pick(new long[] { 1000, 60_000, 300_000, 5_400_000, 86_400_000, 604_800_000, 1500, 90_061_001 }));

    private EquatableArray<string> Labels(int max)
    {
        var n = random.Next(max + 1);
        var grouping = new string[n];
        for (var i = 0; i < n; i++)
        {
            grouping[i] = Pick(labels ?? s_defaultLabels);
        }
        return grouping;
    }

    public VectorSelector Selector()
    {
        var name = random.Next(4) == 0 ? "" : Pick(metrics ?? s_defaultMetrics);
        var matchers = new List<LabelMatcher>();
        for (var n = random.Next(name.Length == 0 ? 1 : 0, 4); n > 0; n--)
        {
            var type = (LabelMatchType)random.Next(4);
            var label = Pick(labels ?? s_defaultLabels);
            var value = Pick(s_values);
            matchers.Add(new LabelMatcher(type, label, value));
        }
        if (name.Length == 0 && !matchers.Exists(m => !m.Matches("")))
        {
            matchers.Add(new LabelMatcher(LabelMatchType.Equal, "job", "api"));
        }
        // The parser keeps written order; the printer sorts: generate in printed order.
        matchers.Sort((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        if (name.Length > 0)
        {
            matchers.Add(new LabelMatcher(LabelMatchType.Equal, "__name__", name));
        }
        return new VectorSelector(name, matchers.ToArray()) { Offset = Offset(), At = At() };
    }

    private TimeSpan Offset() => random.Next(3) switch
    {
        0 => Duration(),
        1 when random.Next(2) == 0 => -Duration(),
        _ => TimeSpan.Zero,
    };

    private AtModifier? At() => random.Next(6) switch
    {
        0 => AtModifier.Start,
        1 => AtModifier.End,
        2 => AtModifier.At(random.NextInt64(-1_000_000_000_000, 2_000_000_000_000)),
        _ => null,
    };

    public Expr Matrix(int depth)
    {
        if (depth <= 0 || random.Next(2) == 0)
        {
            var vs = Selector();
            return new MatrixSelector(vs, Duration());
        }
        var inner = Instant(depth - 1);
        if (inner is BinaryExpr or UnaryExpr)
        {
            inner = new ParenExpr(inner);
        }
        return new SubqueryExpr(inner, Duration(), random.Next(2) == 0 ? TimeSpan.Zero : Duration()) { Offset = Offset(), At = At() };
    }

    public Expr Scalar(int depth)
    {
        switch (depth <= 0 ? 0 : random.Next(5))
        {
            case 0:
                return new NumberLiteral(Pick(s_numbers));
            case 1:
                return new Call(PromQLFunctions.All["scalar"], [Instant(depth - 1)]);
            case 2:
                return new Call(PromQLFunctions.All["time"], default);
            case 3:
                return new ParenExpr(Scalar(depth - 1));
            default:
                var compare = random.Next(3) == 0;
                var op = compare ? Pick(s_compare) : Pick(s_arith);
                return new BinaryExpr(op, Operand(Scalar(depth - 1)), Operand(Scalar(depth - 1)), null, compare);
        }
    }

    // A number printed with a sign ("-1", "+Inf") before "^" would re-parse as a unary expression, as in Prometheus.
    private static Expr Operand(Expr e) =>
        e is BinaryExpr or UnaryExpr || (e is NumberLiteral n && (double.IsNegative(n.Value) || double.IsPositiveInfinity(n.Value)))
            ? new ParenExpr(e)
            : e;

    public Expr Instant(int depth)
    {
        switch (depth <= 0 ? 0 : random.Next(9))
        {
            case 0:
                return Selector();
            case 1:
                return new Call(PromQLFunctions.All[Pick(new[] { "rate", "increase", "max_over_time", "absent_over_time" })], [Matrix(depth - 1)]);
            case 2:
                return new Call(PromQLFunctions.All["histogram_quantile"], [Scalar(depth - 1), Instant(depth - 1)]);
            case 3:
                return new Call(PromQLFunctions.All["label_replace"],
                    [Instant(depth - 1), new StringLiteral("dst"), new StringLiteral("$1"), new StringLiteral(Pick(labels ?? s_defaultLabels)), new StringLiteral(Pick(s_values))]);
            case 4:
            {
                var op = (AggregationOperator)random.Next(14);
                Expr? param = op switch
                {
                    AggregationOperator.CountValues => new StringLiteral(Pick(s_values)),
                    AggregationOperator.Topk or AggregationOperator.Bottomk or AggregationOperator.Quantile or
                        AggregationOperator.Limitk or AggregationOperator.LimitRatio => Scalar(depth - 1),
                    _ => null,
                };
                var without = random.Next(3) == 0;
                return new AggregateExpr(op, Instant(depth - 1), param, Labels(3), without);
            }
            case 5:
                return new ParenExpr(Instant(depth - 1));
            case 6:
            {
                var inner = Instant(depth - 1);
                return new UnaryExpr(random.Next(2) == 0 ? UnaryOperator.Negate : UnaryOperator.Plus, inner is BinaryExpr or UnaryExpr ? new ParenExpr(inner) : inner);
            }
            case 7:
            {
                var compare = random.Next(3) == 0;
                var op = compare ? Pick(s_compare) : Pick(s_arith);
                var scalarLeft = random.Next(2) == 0;
                var lhs = scalarLeft ? Operand(Scalar(depth - 1)) : Operand(Instant(depth - 1));
                var rhs = scalarLeft ? Operand(Instant(depth - 1)) : Operand(Scalar(depth - 1));
                return new BinaryExpr(op, lhs, rhs, null, compare && random.Next(2) == 0);
            }
            default:
            {
                var kind = random.Next(3);
                BinaryOperator op;
                var card = VectorMatchCardinality.OneToOne;
                var returnBool = false;
                if (kind == 0)
                {
                    op = Pick(new[] { BinaryOperator.And, BinaryOperator.Or, BinaryOperator.Unless });
                    card = VectorMatchCardinality.ManyToMany;
                }
                else
                {
                    var compare = kind == 2;
                    op = compare ? Pick(s_compare) : Pick(s_arith);
                    returnBool = compare && random.Next(2) == 0;
                    if (random.Next(3) == 0)
                    {
                        card = random.Next(2) == 0 ? VectorMatchCardinality.ManyToOne : VectorMatchCardinality.OneToMany;
                    }
                }
                var on = random.Next(2) == 0;
                var matching = Labels(2);
                var include = card is VectorMatchCardinality.ManyToOne or VectorMatchCardinality.OneToMany
                    ? new EquatableArray<string>(Labels(2).Where(l => !on || !matching.Contains(l)))
                    : default;
                if (!on && matching.Count == 0 && card is VectorMatchCardinality.OneToOne or VectorMatchCardinality.ManyToMany)
                {
                    on = false;
                }
                return new BinaryExpr(op, Operand(Instant(depth - 1)), Operand(Instant(depth - 1)),
                    new VectorMatching(card, matching, on, include), returnBool);
            }
        }
    }
}
