using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Heimdall.Host.Configuration;

/// <summary>
/// Flattens a YAML config file into configuration keys: nested mappings join with <c>:</c>
/// (<c>database: {dsn: x}</c> is <c>database:dsn</c>), dotted keys are split the same way
/// (<c>database.dsn: x</c>), sequence items get their index (<c>jwt:audiences:0</c>).
/// </summary>
internal static class YamlConfigurationReader
{
    public static Dictionary<string, string?> Read(string yaml, string sourceName)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{sourceName}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}", e);
        }
        if (stream.Documents.Count == 0)
        {
            return result;
        }
        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" })
        {
            return result;
        }
        if (root is not YamlMappingNode)
        {
            throw new FormatException($"{sourceName}: the top level must be a mapping of keys");
        }
        Flatten(root, "", result, sourceName);
        return result;
    }

    private static void Flatten(YamlNode node, string prefix, Dictionary<string, string?> into, string sourceName)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    var path = (prefix.Length == 0 ? "" : prefix + ":") + name.Replace('.', ':');
                    Flatten(value, path, into, sourceName);
                }
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    Flatten(seq.Children[i], $"{prefix}:{i}", into, sourceName);
                }
                break;
            case YamlScalarNode scalar:
                if (into.ContainsKey(prefix))
                {
                    throw new FormatException($"{sourceName}: the key \"{prefix.Replace(':', '.')}\" is given twice");
                }
                into[prefix] = scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" ? null : scalar.Value;
                break;
        }
    }
}
