namespace Heimdall.Benchmarks.PromQL;

/// <summary>Loads the real-world query corpus of the tests (Heimdall.Tests/PromQL/TestData/corpus.txt).</summary>
internal static class PromQLCorpus
{
    public static IReadOnlyList<string> Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "Heimdall.Tests", "PromQL", "TestData", "corpus.txt");
            if (File.Exists(path))
            {
                return File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            }
        }
        throw new FileNotFoundException("corpus.txt not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The query of median length.</summary>
    public static string Median(IReadOnlyList<string> queries) => queries.OrderBy(q => q.Length).ThenBy(q => q, StringComparer.Ordinal).ElementAt(queries.Count / 2);
}
