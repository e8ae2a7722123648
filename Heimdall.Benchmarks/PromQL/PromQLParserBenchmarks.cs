// Command: dotnet run -c Release --project Heimdall.Benchmarks -- --filter '*PromQLParserBenchmarks*' --job short
// Latest figures: see Heimdall.Benchmarks/README.md (filled in by the last run; --job short on a noisy 2-core VM).
using BenchmarkDotNet.Attributes;
using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Benchmarks.PromQL;

/// <summary>Parse + single-line print: the corpus' median query, Prometheus' own benchmark query, and the whole corpus.</summary>
[MemoryDiagnoser]
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
