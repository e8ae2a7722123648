using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>Reads Prometheus API answers: errors in Prometheus' JSON shape, and query results as comparable series.</summary>
internal static class PrometheusAnswer
{
    /// <summary>One series of a result: its labels and every sample value.</summary>
    public sealed record Series(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<double> Values)
    {
        public string Key => "{" + string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";

        public override string ToString() => Key + " " + string.Join(" ", Values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Asserts a Prometheus JSON error with this status and <c>errorType</c>; returns the message.</summary>
    public static string AssertError((HttpStatusCode Status, string Body) answer, HttpStatusCode status, string errorType)
    {
        Assert.True(answer.Status == status, $"expected {(int)status}, got {(int)answer.Status}: {answer.Body}");
        using var doc = JsonDocument.Parse(answer.Body);
        Assert.Equal("error", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(errorType, doc.RootElement.GetProperty("errorType").GetString());
        var message = doc.RootElement.GetProperty("error").GetString();
        Assert.False(string.IsNullOrEmpty(message));
        return message!;
    }

    /// <summary>Asserts success and returns the result's series (a scalar is one series without labels).</summary>
    public static IReadOnlyList<Series> AssertSeries((HttpStatusCode Status, string Body) answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"expected 200, got {(int)answer.Status}: {answer.Body}");
        return Parse(answer.Body);
    }

    public static IReadOnlyList<Series> Parse(string body)
    {
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
        var data = doc.RootElement.GetProperty("data");
        var result = data.GetProperty("result");
        if (data.GetProperty("resultType").GetString() is "scalar" or "string")
        {
            return [new Series(new Dictionary<string, string>(), [Number(result[1])])];
        }
        var list = new List<Series>();
        foreach (var s in result.EnumerateArray())
        {
            var labels = s.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            var values = new List<double>();
            if (s.TryGetProperty("value", out var v))
            {
                values.Add(Number(v[1]));
            }
            if (s.TryGetProperty("values", out var vs))
            {
                values.AddRange(vs.EnumerateArray().Select(p => Number(p[1])));
            }
            list.Add(new Series(labels, values));
        }
        return [.. list.OrderBy(s => s.Key, StringComparer.Ordinal)];
    }

    /// <summary>The series as sorted text lines, for equality with a reference answer.</summary>
    public static string Canonical(IEnumerable<Series> series) =>
        string.Join("\n", series.Select(s => s.ToString()).Order(StringComparer.Ordinal));

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var s => double.Parse(s!, CultureInfo.InvariantCulture),
        }
        : double.NaN;
}
