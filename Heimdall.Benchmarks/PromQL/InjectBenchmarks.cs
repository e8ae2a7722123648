// Parse + inject + print for the median dashboard query (DESIGN §4; targets: ≤ 2 µs with one alternative, ≤ 5 µs with three).
// Run: dotnet run -c Release --project Heimdall.Benchmarks -- --filter '*InjectBenchmarks*' --job short
// Latest figures (2026-11-26, 2-core AMD EPYC VM shared with other builds, load average 6-16), BenchmarkDotNet
// --job short --inProcess --iterationCount 15 (the out-of-process build timed out under load), means:
//   ParsePrint_NoInjection              1.07 µs    880 B
//   ParseInjectPrint_OneAlternative     1.87 µs   1432 B   (target ≤ 2 µs)
//   ParseInjectPrint_ThreeAlternatives  3.10 µs   2616 B   (target ≤ 5 µs)
//   InjectOnly_OneAlternative           0.20 µs    488 B
//   InjectOnly_ThreeAlternatives        0.54 µs   1344 B
using BenchmarkDotNet.Attributes;
using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;
using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Benchmarks.PromQL;

[MemoryDiagnoser]
public class InjectBenchmarks
{
    /// <summary>A typical Grafana panel query: one aggregation over a rate of a selector with two matchers.</summary>
    public const string MedianDashboardQuery = "sum by (instance) (rate(http_requests_total{job=\"api\",code=~\"5..\"}[5m]))";

    private readonly Grant _one = Grant.Parse([["env=\"prod\""]]);
    private readonly Grant _three = Grant.Parse([["env=\"prod\"", "tier!=\"free\""], ["team=\"beta\""], ["region=~\"eu-.*\"", "env!=\"dev\""]]);
    private Expr _parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _parsed = PromQLParser.Parse(MedianDashboardQuery);
        if (_three.Alternatives.Count != 3)
        {
            throw new InvalidOperationException("the three-alternative grant must not merge");
        }
    }

    [Benchmark(Baseline = true)]
    public string ParsePrint_NoInjection() => PromQLParser.Parse(MedianDashboardQuery).ToString();

    [Benchmark]
    public string ParseInjectPrint_OneAlternative() => LabelInjector.Inject(PromQLParser.Parse(MedianDashboardQuery), _one).Expr!.ToString();

    [Benchmark]
    public string ParseInjectPrint_ThreeAlternatives() => LabelInjector.Inject(PromQLParser.Parse(MedianDashboardQuery), _three).Expr!.ToString();

    [Benchmark]
    public Expr InjectOnly_OneAlternative() => LabelInjector.Inject(_parsed, _one).Expr!;

    [Benchmark]
    public Expr InjectOnly_ThreeAlternatives() => LabelInjector.Inject(_parsed, _three).Expr!;
}
