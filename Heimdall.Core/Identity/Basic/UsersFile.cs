using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Heimdall.Core.Identity.Basic;

/// <summary>
/// Reads the basic-auth users file:
/// <code>
/// users:
///   - name: prom
///     password_hash: "$2b$12$..."
///     groups: [writers]
/// </code>
/// Unknown keys (a <c>password</c> in plaintext, say) are errors, as are duplicate names and unsupported hashes.
/// </summary>
internal static class UsersFile
{
    private static readonly IDeserializer s_yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>Parses <paramref name="yaml"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The document is invalid; the message lists every problem.</exception>
    public static Dictionary<string, BasicUser> Parse(string yaml, string source)
    {
        Document? document;
        try
        {
            document = s_yaml.Deserialize<Document?>(yaml);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}: {e.Start.Line}:{e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }
        var errors = new List<string>();
        var users = new Dictionary<string, BasicUser>(StringComparer.Ordinal);
        var entries = document?.Users ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var where = $"users[{i}]";
            if (string.IsNullOrWhiteSpace(entry.Name) || entry.Name.Contains(':', StringComparison.Ordinal))
            {
                errors.Add($"{where}.name: required, without ':'");
                continue;
            }
            if (PasswordHasher.Check(entry.PasswordHash) is { } problem)
            {
                errors.Add($"{where}.password_hash ({entry.Name}): {problem}");
                continue;
            }
            var groups = entry.Groups ?? [];
            if (groups.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{where}.groups ({entry.Name}): group names must not be empty");
                continue;
            }
            if (!users.TryAdd(entry.Name, new BasicUser(entry.Name, entry.PasswordHash!, [.. groups.Distinct(StringComparer.Ordinal)])))
            {
                errors.Add($"{where}.name: duplicate user {entry.Name}");
            }
        }
        if (errors.Count > 0)
        {
            throw new InvalidDataException($"{source}: " + string.Join("; ", errors));
        }
        return users;
    }

    private sealed class Document
    {
        public List<Entry>? Users { get; set; }
    }

    private sealed class Entry
    {
        public string? Name { get; set; }
        public string? PasswordHash { get; set; }
        public List<string>? Groups { get; set; }
    }
}
