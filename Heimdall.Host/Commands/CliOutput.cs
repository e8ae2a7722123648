using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Heimdall.Host.Commands;

/// <summary>Writes command results as a table, JSON or YAML (<c>--output</c>).</summary>
internal static partial class CliOutput
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes <paramref name="value"/> as JSON or YAML; for <c>table</c>, writes <paramref name="rows"/> under <paramref name="headers"/>.</summary>
    public static void Write(TextWriter writer, string format, object value, string[] headers, IEnumerable<string[]> rows)
    {
        switch (format)
        {
            case "json":
                writer.WriteLine(JsonSerializer.Serialize(value, Json));
                break;
            case "yaml":
                writer.Write(ToYaml(JsonSerializer.SerializeToNode(value, Json)));
                break;
            default:
                WriteTable(writer, headers, rows.ToList());
                break;
        }
    }

    public static void WriteTable(TextWriter writer, string[] headers, List<string[]> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        writer.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            writer.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }

    public static string ToYaml(JsonNode? node)
    {
        var stream = new YamlStream(new YamlDocument(ToYamlNode(node)));
        using var sw = new StringWriter();
        stream.Save(sw, assignAnchors: false);
        // YamlStream ends documents with "...": drop it, it is noise for people and equivalent for parsers.
        var text = sw.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) || text.EndsWith("...\r\n", StringComparison.Ordinal)
            ? text[..text.LastIndexOf("...", StringComparison.Ordinal)]
            : text;
    }

    private static YamlNode ToYamlNode(JsonNode? node) => node switch
    {
        JsonObject obj => new YamlMappingNode(obj.Select(kv => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(kv.Key), ToYamlNode(kv.Value)))),
        JsonArray arr => arr.Count == 0 ? new YamlSequenceNode { Style = SequenceStyle.Flow } : new YamlSequenceNode(arr.Select(ToYamlNode)),
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Scalar(v.GetValue<string>()),
        JsonValue v => new YamlScalarNode(v.ToJsonString()) { Style = ScalarStyle.Plain },
        _ => throw new InvalidOperationException("unexpected JSON node"),
    };

    private static YamlScalarNode Scalar(string s) =>
        new(s) { Style = PlainSafe().IsMatch(s) && !Ambiguous().IsMatch(s) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted };

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_@./()-]*$")]
    private static partial Regex PlainSafe();

    [GeneratedRegex(@"^(?i:true|false|yes|no|on|off|y|n|null|~|nan|inf)$")]
    private static partial Regex Ambiguous();
}
