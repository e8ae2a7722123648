// Command: dotnet run -c Release --project Heimdall.Benchmarks -- --filter '*PromQLParserBenchmarks*' --job short
// (--inProcess: BenchmarkDotNet's generated out-of-process project does not build under this repository's
// warnings-as-errors props.) Add --iterationCount 15 on a noisy machine; compare Min when the load is high.
// Latest figures, 2026-11-26, 2-core AMD EPYC VM at load average 17-37 (other builds running), --job short:
//   parse+print median corpus query   mean 2.19 us  min 0.43-1.63 us  552 B
//   parse median corpus query         mean 0.73 us  min 0.45 us       432 B
//   print median corpus query         mean 0.49 us  min 0.24 us       120 B
//   parse+print Prometheus' query     mean 2.25-3.0 us  min 1.6-2.1 us  728 B   (Go: ~2 us on a quiet machine)
//   parse+print whole corpus (567)    mean 1.8 ms (~310k queries/s)  min 0.60 ms (~945k queries/s)  414 KB
using BenchmarkDotNet.Attributes;
using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Benchmarks.PromQL;

/// <summary>Parse + single-line print: the corpus' median query, Prometheus' own benchmark query, and the whole corpus.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PromQLParserBenchmarks
{
    private const string PrometheusBenchmarkQuery = "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:])[4m:3s]";

    private string[] _corpus = [];
    private string _median = "";
    private Expr _medianTree = null!;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = [.. PromQLCorpus.Load()];
        _median = PromQLCorpus.Median(_corpus);
        _medianTree = PromQLParser.Parse(_median);
        Console.WriteLine($"// median query ({_median.Length} chars): {_median}; corpus: {_corpus.Length} queries");
    }

    [Benchmark(Description = "parse+print median corpus query")]
    public string ParseAndPrintMedian() => PromQLParser.Parse(_median).ToString();

    [Benchmark(Description = "parse median corpus query")]
    public Expr ParseMedian() => PromQLParser.Parse(_median);

    [Benchmark(Description = "print median corpus query")]
    public string PrintMedian() => _medianTree.ToString();

    [Benchmark(Description = "parse+print Prometheus' benchmark query")]
    public string ParseAndPrintPrometheusQuery() => PromQLParser.Parse(PrometheusBenchmarkQuery).ToString();

    [Benchmark(Description = "parse+print whole corpus", OperationsPerInvoke = 1)]
    public int ParseAndPrintCorpus()
    {
        var total = 0;
        foreach (var query in _corpus)
        {
            total += PromQLParser.Parse(query).ToString().Length;
        }
        return total;
    }
}
