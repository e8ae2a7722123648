using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Heimdall.Core.Policy;

namespace Heimdall.Core.Bundles;

/// <summary>
/// Builds the OPA bundle of a policy snapshot (DESIGN §6): a <c>.tar.gz</c> with <c>/.manifest</c>
/// (<c>{"revision": "&lt;sha256 of data.json&gt;", "roots": ["heimdall"]}</c>), <c>/data.json</c>
/// (<c>{"heimdall": {"policies": [...], "tenants": {...}}}</c>) and <c>/heimdall/authz.rego</c>. The bytes depend
/// only on the tenants and policies: entries sorted, fixed times, owners and modes, fixed compression settings.
/// </summary>
public static class BundleBuilder
{
    /// <summary>The bundle's root, covering the data and the <c>heimdall.authz</c> package.</summary>
    public const string Root = "heimdall";

    private const string PolicyResource = "Heimdall.Core.Bundles.authz.rego";
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly Lazy<byte[]> s_policy = new(LoadPolicy);

    private static readonly JsonWriterOptions s_jsonOptions = new()
    {
        // data.json is read by OPA only; no HTML context to escape for.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The Rego policy shipped in every bundle (<c>opa/heimdall/authz.rego</c>).</summary>
    public static ReadOnlyMemory<byte> PolicySource => s_policy.Value;

    /// <summary>Builds the bundle of <paramref name="snapshot"/>.</summary>
    public static PolicyBundle Build(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var data = WriteData(snapshot);
        var revision = Convert.ToHexStringLower(SHA256.HashData(data.Span));
        var manifest = WriteManifest(revision);

        using var output = new MemoryStream(data.Length / 4 + 4096);
        // Fastest: the data compresses well anyway, and a 50,000-policy store builds several times faster than at
        // Optimal. Fixed settings keep the bytes identical on every replica of the same version.
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            // Ordinal order of the entry names.
            WriteEntry(tar, "/.manifest", manifest);
            WriteEntry(tar, "/data.json", data);
            WriteEntry(tar, "/heimdall/authz.rego", s_policy.Value);
        }
        return new PolicyBundle
        {
            Revision = revision,
            SnapshotRevision = snapshot.Revision,
            Content = output.ToArray(),
        };
    }

    /// <summary>The bundle's <c>/data.json</c>: policies sorted by name, tenants by ID, only decision-relevant fields.</summary>
    internal static ReadOnlyMemory<byte> WriteData(PolicySnapshot snapshot)
    {
        var stream = new MemoryStream(snapshot.Policies.Count * 256 + snapshot.Tenants.Count * 48 + 64);
        using (var writer = new Utf8JsonWriter(stream, s_jsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(Root);

            writer.WriteStartArray("policies");
            var policies = snapshot.Policies.ToArray();
            Array.Sort(policies, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var policy in policies)
            {
                WritePolicy(writer, policy);
            }
            writer.WriteEndArray();

            writer.WriteStartObject("tenants");
            string? previous = null;
            foreach (var tenant in snapshot.Tenants.OrderBy(t => t.Id, StringComparer.Ordinal))
            {
                if (string.Equals(previous, tenant.Id, StringComparison.Ordinal))
                {
                    continue;
                }
                previous = tenant.Id;
                writer.WriteStartObject(tenant.Id);
                writer.WriteString("name", tenant.Name ?? "");
                writer.WriteEndObject();
            }
            writer.WriteEndObject();

            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return stream.GetBuffer().AsMemory(0, (int)stream.Length);
    }

    private static void WritePolicy(Utf8JsonWriter writer, AccessPolicy policy)
    {
        writer.WriteStartObject();
        writer.WriteString("name", policy.Name);
        writer.WriteString("effect", policy.Effect);
        writer.WriteStartArray("subjects");
        foreach (var subject in policy.Subjects ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString("type", subject.Type);
            writer.WriteString("id", subject.Id);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        WriteStrings(writer, "actions", policy.Actions);
        writer.WriteStartObject("scope");
        WriteStrings(writer, "tenants", policy.Scope?.Tenants);
        WriteStrings(writer, "resources", policy.Scope?.Resources);
        writer.WriteEndObject();
        WriteStrings(writer, "filters", policy.Filters);
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values ?? [])
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static byte[] WriteManifest(string revision)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("revision", revision);
            writer.WriteStartArray("roots");
            writer.WriteStringValue(Root);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void WriteEntry(TarWriter tar, string name, ReadOnlyMemory<byte> content)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            ModificationTime = DateTimeOffset.UnixEpoch,
            Mode = FileMode,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
            DataStream = MemoryMarshal.TryGetArray(content, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(content.ToArray(), writable: false),
        };
        tar.WriteEntry(entry);
    }

    private static byte[] LoadPolicy()
    {
        using var stream = typeof(BundleBuilder).Assembly.GetManifestResourceStream(PolicyResource)
            ?? throw new InvalidOperationException("the embedded policy " + PolicyResource + " is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
