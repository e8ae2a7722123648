using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Heimdall.Tests.PromQL.Rewriting;

/// <summary>
/// A Prometheus query answer reduced to something comparable: status, result type, and the series sorted by label
/// set with their values (NaN-aware; a relative tolerance of 1e-9 absorbs float summation order, which the
/// <c>or</c> expansion may change).
/// </summary>
internal sealed record PrometheusResult(bool Ok, string ResultType, IReadOnlyList<(string Labels, IReadOnlyList<(double T, string V)> Values)> Series, string Error)
{
    /// <summary>The first value of each series in the order Prometheus returned them (for <c>sort()</c>).</summary>
    public IReadOnlyList<string> ReturnedOrder { get; init; } = [];

    public static async Task<PrometheusResult> QueryAsync(HttpClient http, Uri server, string query, long? time, (long Start, long End, int Step)? range)
    {
        var form = new Dictionary<string, string> { ["query"] = query };
        string path;
        if (range is { } r)
        {
            path = "api/v1/query_range";
            form["start"] = r.Start.ToString(CultureInfo.InvariantCulture);
            form["end"] = r.End.ToString(CultureInfo.InvariantCulture);
            form["step"] = r.Step.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            path = "api/v1/query";
            form["time"] = time!.Value.ToString(CultureInfo.InvariantCulture);
        }
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(new Uri(server, path), content);
        var body = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            return new PrometheusResult(false, "", [], root.GetProperty("error").GetString() ?? "");
        }
        var data = root.GetProperty("data");
        var type = data.GetProperty("resultType").GetString()!;
        var result = data.GetProperty("result");
        var series = new List<(string, IReadOnlyList<(double, string)>)>();
        switch (type)
        {
            case "scalar":
            case "string":
                series.Add(("", [Point(result)]));
                break;
            case "vector":
                foreach (var s in result.EnumerateArray())
                {
                    series.Add((Labels(s.GetProperty("metric")), [Point(s.GetProperty("value"))]));
                }
                break;
            case "matrix":
                foreach (var s in result.EnumerateArray())
                {
                    series.Add((Labels(s.GetProperty("metric")), [.. s.GetProperty("values").EnumerateArray().Select(Point)]));
                }
                break;
        }
        var order = series.Select(s => s.Item2.Count > 0 ? s.Item2[0].Item2 : "").ToList();
        series.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return new PrometheusResult(true, type, series, "") { ReturnedOrder = order };
    }

    private static (double, string) Point(JsonElement p) => (p[0].GetDouble(), p[1].GetString()!);

    private static string Labels(JsonElement metric)
    {
        var sb = new StringBuilder("{");
        foreach (var p in metric.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            sb.Append(p.Name).Append('=').Append(JsonSerializer.Serialize(p.Value.GetString())).Append(',');
        }
        return sb.Append('}').ToString();
    }

    public bool IsEmpty => Series.Count == 0;

    /// <summary>Null when equal, else a short description of the first difference.</summary>
    public string? Difference(PrometheusResult other)
    {
        if (Ok != other.Ok)
        {
            return Ok ? "rewritten failed: " + other.Error : "original failed: " + Error;
        }
        if (!Ok)
        {
            return null;
        }
        if (ResultType != other.ResultType)
        {
            return $"result type {ResultType} vs {other.ResultType}";
        }
        if (Series.Count != other.Series.Count)
        {
            return $"{Series.Count} series vs {other.Series.Count}: [{string.Join(" ", Series.Select(s => s.Labels).Take(8))}] vs [{string.Join(" ", other.Series.Select(s => s.Labels).Take(8))}]";
        }
        for (var i = 0; i < Series.Count; i++)
        {
            var (la, va) = Series[i];
            var (lb, vb) = other.Series[i];
            if (la != lb)
            {
                return $"labels {la} vs {lb}";
            }
            if (va.Count != vb.Count)
            {
                return $"{la}: {va.Count} points vs {vb.Count}";
            }
            for (var j = 0; j < va.Count; j++)
            {
                if (va[j].T != vb[j].T || !SameValue(va[j].V, vb[j].V))
                {
                    return $"{la} @{va[j].T}: {va[j].V} vs {vb[j].T}:{vb[j].V}";
                }
            }
        }
        return null;
    }

    private static bool SameValue(string a, string b)
    {
        if (a == b)
        {
            return true;
        }
        var x = double.Parse(a, CultureInfo.InvariantCulture);
        var y = double.Parse(b, CultureInfo.InvariantCulture);
        if (double.IsNaN(x) || double.IsNaN(y) || double.IsInfinity(x) || double.IsInfinity(y))
        {
            return x.Equals(y);
        }
        return Math.Abs(x - y) <= 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y));
    }
}
