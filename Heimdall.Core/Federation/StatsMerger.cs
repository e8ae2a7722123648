using System.Text.Json.Nodes;

namespace Heimdall.Core.Federation;

/// <summary>
/// Sums the <c>stats</c> objects of several tenants' query responses: numbers are added key by key, per-step
/// series (<c>[[t, n], ...]</c>) are added step by step; anything else keeps the first tenant's value.
/// </summary>
internal static class StatsMerger
{
    /// <summary>Returns <paramref name="total"/> with <paramref name="next"/> added (either may be null).</summary>
    public static JsonNode? Add(JsonNode? total, JsonNode? next)
    {
        if (total is null)
        {
            return next;
        }
        if (next is null)
        {
            return total;
        }
        switch (total, next)
        {
            case (JsonObject a, JsonObject b):
                foreach (var (key, value) in b.ToList())
                {
                    b.Remove(key);
                    a[key] = Add(a[key], value);
                }
                return a;
            case (JsonValue a, JsonValue b) when a.TryGetValue<long>(out var la) && b.TryGetValue<long>(out var lb):
                return JsonValue.Create(la + lb);
            case (JsonValue a, JsonValue b) when a.TryGetValue<double>(out var da) && b.TryGetValue<double>(out var db):
                return JsonValue.Create(da + db);
            case (JsonArray a, JsonArray b) when IsSteps(a) && IsSteps(b):
                return AddSteps(a, b);
            default:
                return total;
        }
    }

    private static bool IsSteps(JsonArray array) =>
        array.All(e => e is JsonArray { Count: 2 } pair && pair[0] is JsonValue && pair[1] is JsonValue);

    private static JsonArray AddSteps(JsonArray a, JsonArray b)
    {
        var sums = new SortedDictionary<double, long>();
        foreach (var step in a.Concat(b).Cast<JsonArray>())
        {
            var t = step[0]!.GetValue<double>();
            var n = step[1]!.AsValue().TryGetValue<long>(out var l) ? l : (long)step[1]!.GetValue<double>();
            sums[t] = sums.GetValueOrDefault(t) + n;
        }
        var result = new JsonArray();
        foreach (var (t, n) in sums)
        {
            result.Add(new JsonArray(JsonValue.Create(t), JsonValue.Create(n)));
        }
        return result;
    }
}
