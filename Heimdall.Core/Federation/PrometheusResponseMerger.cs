using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Core.Federation;

/// <summary>
/// Merges several tenants' Prometheus API responses into the shape Mimir's tenant federation answers with
/// (DESIGN §4): every series gets <c>__tenant_id__</c> (a label of that name already in the data is kept as
/// <c>original___tenant_id__</c>), series are sorted by label set as <c>labels.Compare</c> orders them, names
/// and values are unioned and sorted, metadata merged per metric without duplicates, rule groups and alerts
/// concatenated (filtered by each tenant's grant), warnings and infos kept once each, stats summed.
/// </summary>
/// <remarks>
/// Streaming: each body is read once with <see cref="Utf8JsonReader"/>; labels and sample arrays stay slices of
/// the bodies (only escaped strings are copied) and are written with <see cref="Utf8JsonWriter"/>, so memory
/// is the inputs plus an index plus the output. Every input is checked before the first byte is written: on
/// error nothing is written.
/// </remarks>
internal sealed partial class PrometheusResponseMerger
{
    /// <summary>The label Mimir adds to every series of a federated answer.</summary>
    public const string TenantLabelName = FederatedGrant.TenantLabel;

    /// <summary>What an existing <c>__tenant_id__</c> label becomes.</summary>
    public const string OriginalTenantLabelName = FederatedGrant.OriginalTenantLabel;

    private static readonly byte[] s_tenantLabel = Encoding.UTF8.GetBytes(TenantLabelName);
    private static readonly byte[] s_originalTenantLabel = Encoding.UTF8.GetBytes(OriginalTenantLabelName);

    private static readonly byte[] s_metric = "metric"u8.ToArray();
    private static readonly byte[] s_seriesLabels = "seriesLabels"u8.ToArray();

    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ResponseKind _kind;
    private readonly bool _federated;
    private readonly List<Label> _labels = [];
    private readonly List<RawProperty> _properties = [];
    private readonly List<Series> _series = [];
    private readonly List<string> _warnings = [];
    private readonly List<string> _infos = [];
    private readonly HashSet<string> _seenWarnings = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenInfos = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _strings = new(LabelSetComparer.Utf8);
    private readonly List<(ReadOnlyMemory<byte> Raw, IGrantMatcher? Grant)> _items = [];
    private string? _resultType;
    private ReadOnlyMemory<byte>? _scalarResult;
    private JsonNode? _stats;
    private string? _unmergeable;
    private ReadOnlyMemory<byte> _current;
    private int _currentOffset;
    private static readonly byte[] s_resumePrefix = "{\"d\":{\"x\":0"u8.ToArray();

    private PrometheusResponseMerger(ResponseKind kind, bool federated)
    {
        _kind = kind;
        _federated = federated;
    }

    /// <summary>
    /// Merges <paramref name="responses"/> into <paramref name="output"/> (a complete <c>{"status":"success",...}</c> document).
    /// </summary>
    /// <param name="kind">The endpoint's response shape.</param>
    /// <param name="responses">Successful upstream bodies, one per tenant or tenant group.</param>
    /// <param name="output">Receives the merged JSON; untouched on error.</param>
    /// <param name="extraWarnings">Warnings of the gateway itself (e.g. tenants left out of a partial result).</param>
    /// <param name="federated">
    /// True when the client request named two or more tenants, even if fewer answered (a partial result, or match[]
    /// excluding tenants); null to judge from <paramref name="responses"/>.
    /// </param>
    public static MergeResult Merge(ResponseKind kind, IReadOnlyList<TenantResponse> responses, IBufferWriter<byte> output,
        IReadOnlyList<string>? extraWarnings = null, bool? federated = null)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(output);
        if (kind == ResponseKind.Metadata)
        {
            // One implementation of metadata merging (per metric, no duplicates, no tenant shown); with no restricted
            // tenant in the plan it filters nothing.
            return MetadataMerger.Merge(responses, [], new MetadataPlan(), output, extraWarnings);
        }
        var tenantCount = responses.Sum(r => r.Tenants.Count);
        var merger = new PrometheusResponseMerger(kind, federated ?? tenantCount >= 2);
        foreach (var response in responses)
        {
            var error = merger.Read(response);
            if (error is not null)
            {
                return error.Value;
            }
        }
        foreach (var w in extraWarnings ?? [])
        {
            merger.AddOnce(merger._warnings, merger._seenWarnings, w);
        }
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        merger.Write(writer);
        writer.Flush();
        return MergeResult.Success;
    }

    private MergeResult? Read(in TenantResponse response)
    {
        var reader = new Utf8JsonReader(response.Body.Span, new JsonReaderOptions { MaxDepth = 128 });
        _current = response.Body;
        _currentOffset = 0;
        try
        {
            var status = default(string);
            var sawData = false;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return MergeResult.BadUpstream($"tenant {response.TenantNames}: upstream response is not a JSON object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    status = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    sawData = true;
                    if (ReadData(ref reader, response) is { } dataError)
                    {
                        return _unmergeable is not null
                            ? MergeResult.Unmergeable(_unmergeable)
                            : MergeResult.BadUpstream($"tenant {response.TenantNames}: {dataError}");
                    }
                }
                else if (reader.ValueTextEquals("warnings"u8))
                {
                    ReadStrings(ref reader, _warnings, _seenWarnings);
                }
                else if (reader.ValueTextEquals("infos"u8))
                {
                    ReadStrings(ref reader, _infos, _seenInfos);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (status != "success" || !sawData)
            {
                return MergeResult.BadUpstream($"tenant {response.TenantNames}: upstream response has no successful data");
            }
            return null;
        }
        catch (JsonException ex)
        {
            return MergeResult.BadUpstream($"tenant {response.TenantNames}: invalid JSON from upstream: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            return MergeResult.BadUpstream($"tenant {response.TenantNames}: unexpected JSON from upstream: {ex.Message}");
        }
    }

    private string? ReadData(ref Utf8JsonReader reader, in TenantResponse response)
    {
        switch (_kind)
        {
            case ResponseKind.Query:
                return ReadQueryData(ref reader, response);
            case ResponseKind.Series:
                return ReadSeriesList(ref reader, response, labelProperty: null);
            case ResponseKind.Exemplars:
                return ReadSeriesList(ref reader, response, s_seriesLabels);
            case ResponseKind.LabelNames or ResponseKind.LabelValues:
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return null;
                }
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return "data is not a list";
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    var s = reader.GetString()!;
                    if (_kind == ResponseKind.LabelNames && _federated && response.Tenants.Count == 1 && s == TenantLabelName)
                    {
                        s = OriginalTenantLabelName;
                    }
                    _strings.Add(s);
                }
                return reader.TokenType == JsonTokenType.EndArray ? null : "data holds a non-string";
            case ResponseKind.Rules:
                return ReadObjectList(ref reader, response, "groups"u8);
            case ResponseKind.Alerts:
                return ReadObjectList(ref reader, response, "alerts"u8);
            default:
                return "unknown response kind";
        }
    }

    private string? ReadSeriesList(ref Utf8JsonReader reader, in TenantResponse response, byte[]? labelProperty)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return "data is not a list";
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadSeries(ref reader, response, labelProperty) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    private string? ReadQueryData(ref Utf8JsonReader reader, in TenantResponse response)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "data is not an object";
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resultType"u8))
            {
                reader.Read();
                var type = reader.GetString();
                if (_resultType is not null && _resultType != type)
                {
                    return $"result type {type} differs from another tenant's {_resultType}";
                }
                _resultType = type;
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                // The fast path: scan the result array directly, then continue with a reader over the rest of the
                // body, prefixed so that it resumes inside "data" ({"d":{"x":0,<rest>).
                var position = _currentOffset + (int)reader.BytesConsumed;
                if (ScanResult(response.Body, ref position, response) is { } scanError)
                {
                    return scanError;
                }
                var rest = response.Body.Span[position..];
                var resumed = new byte[s_resumePrefix.Length + rest.Length];
                s_resumePrefix.CopyTo(resumed, 0);
                rest.CopyTo(resumed.AsSpan(s_resumePrefix.Length));
                _current = resumed;
                _currentOffset = 0;
                reader = new Utf8JsonReader(resumed, new JsonReaderOptions { MaxDepth = 128 });
                for (var k = 0; k < 5; k++)
                {
                    reader.Read(); // {  "d"  {  "x"  0
                }
            }
            else if (reader.ValueTextEquals("stats"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                _stats = StatsMerger.Add(_stats, JsonNode.Parse(_current.Span[start..(int)reader.BytesConsumed]));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return null;
    }

    private string? ReadSeries(ref Utf8JsonReader reader, in TenantResponse response, byte[]? labelProperty)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "series is not an object";
        }
        var labelStart = _labels.Count;
        var propertyStart = _properties.Count;
        if (labelProperty is null)
        {
            if (ReadLabels(ref reader, response) is { } e)
            {
                return e;
            }
        }
        else
        {
            var sawLabels = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(labelProperty))
                {
                    reader.Read();
                    sawLabels = true;
                    if (ReadLabels(ref reader, response) is { } e)
                    {
                        return e;
                    }
                }
                else
                {
                    var name = GetUtf8(ref reader, response.Body);
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    _properties.Add(new RawProperty(name, response.Body[start..(int)reader.BytesConsumed]));
                }
            }
            if (!sawLabels)
            {
                return "series has no labels";
            }
        }
        if (_federated && response.Tenants.Count == 1)
        {
            _labels.Add(new Label(s_tenantLabel, Encoding.UTF8.GetBytes(response.Tenants[0])));
        }
        var count = _labels.Count - labelStart;
        LabelSetComparer.SortByName(CollectionsMarshal.AsSpan(_labels).Slice(labelStart, count));
        _series.Add(new Series(labelStart, count, propertyStart, _properties.Count - propertyStart));
        return null;
    }

    private string? ReadLabels(ref Utf8JsonReader reader, in TenantResponse response)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "labels are not an object";
        }
        var rename = _federated && response.Tenants.Count == 1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = GetUtf8(ref reader, response.Body);
            if (rename && name.Span.SequenceEqual(s_tenantLabel))
            {
                name = s_originalTenantLabel;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return "a label value is not a string";
            }
            _labels.Add(new Label(name, GetUtf8(ref reader, response.Body)));
        }
        return null;
    }

    private string? ReadObjectList(ref Utf8JsonReader reader, in TenantResponse response, ReadOnlySpan<byte> property)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "data is not an object";
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(property);
            reader.Read();
            if (!match || reader.TokenType == JsonTokenType.Null)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return "not a list";
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                _items.Add((response.Body[start..(int)reader.BytesConsumed], response.Grant));
            }
        }
        return null;
    }

    private void ReadStrings(ref Utf8JsonReader reader, List<string> into, HashSet<string> seen)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            AddOnce(into, seen, reader.GetString()!);
        }
    }

    private void AddOnce(List<string> into, HashSet<string> seen, string value)
    {
        if (seen.Add(value))
        {
            into.Add(value);
        }
    }

    private static ReadOnlyMemory<byte> GetUtf8(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return body.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        }
        var buffer = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
        var n = reader.CopyString(buffer);
        return buffer.AsMemory(0, n);
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("status"u8, "success"u8);
        writer.WritePropertyName("data"u8);
        switch (_kind)
        {
            case ResponseKind.Query:
                writer.WriteStartObject();
                writer.WriteString("resultType"u8, _resultType ?? "vector");
                writer.WritePropertyName("result"u8);
                if (_scalarResult is { } scalar)
                {
                    writer.WriteRawValue(scalar.Span, skipInputValidation: true);
                }
                else
                {
                    WriteSeries(writer, "metric"u8);
                }
                if (_stats is not null)
                {
                    writer.WritePropertyName("stats"u8);
                    _stats.WriteTo(writer);
                }
                writer.WriteEndObject();
                break;
            case ResponseKind.Series:
                WriteSeries(writer, default);
                break;
            case ResponseKind.Exemplars:
                WriteSeries(writer, "seriesLabels"u8);
                break;
            case ResponseKind.LabelNames or ResponseKind.LabelValues:
                if (_kind == ResponseKind.LabelNames && _federated)
                {
                    _strings.Add(TenantLabelName);
                }
                writer.WriteStartArray();
                foreach (var s in _strings)
                {
                    writer.WriteStringValue(s);
                }
                writer.WriteEndArray();
                break;
            case ResponseKind.Rules or ResponseKind.Alerts:
                writer.WriteStartObject();
                writer.WriteStartArray(_kind == ResponseKind.Rules ? "groups"u8 : "alerts"u8);
                foreach (var (raw, grant) in _items)
                {
                    if (_kind == ResponseKind.Rules)
                    {
                        RulesFilter.WriteGroup(writer, raw, grant);
                    }
                    else
                    {
                        RulesFilter.WriteAlert(writer, raw, grant);
                    }
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
        }
        WriteStrings(writer, "warnings"u8, _warnings);
        WriteStrings(writer, "infos"u8, _infos);
        writer.WriteEndObject();
    }

    private int CompareSeries(int x, int y)
    {
        var labels = CollectionsMarshal.AsSpan(_labels);
        var sx = _series[x];
        var sy = _series[y];
        return LabelSetComparer.Compare(labels.Slice(sx.LabelStart, sx.LabelCount), labels.Slice(sy.LabelStart, sy.LabelCount));
    }

    /// <summary>
    /// The output order. Upstreams usually answer sorted, and adding the same tenant label to every series of a
    /// response keeps its order, so the input is a few sorted runs: merge them in linear time; else sort.
    /// </summary>
    private int[] SortedOrder()
    {
        var n = _series.Count;
        var runStarts = new List<int> { 0 };
        for (var i = 1; i < n && runStarts.Count <= 16; i++)
        {
            if (CompareSeries(i - 1, i) > 0)
            {
                runStarts.Add(i);
            }
        }
        var order = new int[n];
        if (runStarts.Count > 16)
        {
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
            }
            Array.Sort(order, (x, y) => CompareSeries(x, y) is var c && c != 0 ? c : x.CompareTo(y));
            return order;
        }
        var heads = runStarts.ToArray();
        var ends = new int[heads.Length];
        for (var r = 0; r < heads.Length; r++)
        {
            ends[r] = r + 1 < heads.Length ? heads[r + 1] : n;
        }
        for (var o = 0; o < n; o++)
        {
            var best = -1;
            for (var r = 0; r < heads.Length; r++)
            {
                if (heads[r] < ends[r] && (best < 0 || CompareSeries(heads[r], heads[best]) < 0))
                {
                    best = r;
                }
            }
            order[o] = heads[best]++;
        }
        return order;
    }

    private void WriteSeries(Utf8JsonWriter writer, ReadOnlySpan<byte> labelProperty)
    {
        var labels = CollectionsMarshal.AsSpan(_labels);
        var order = SortedOrder();
        var properties = CollectionsMarshal.AsSpan(_properties);
        writer.WriteStartArray();
        foreach (var index in order)
        {
            var s = _series[index];
            if (labelProperty.IsEmpty)
            {
                WriteLabels(writer, labels.Slice(s.LabelStart, s.LabelCount));
                continue;
            }
            writer.WriteStartObject();
            writer.WritePropertyName(labelProperty);
            WriteLabels(writer, labels.Slice(s.LabelStart, s.LabelCount));
            foreach (var p in properties.Slice(s.PropertyStart, s.PropertyCount))
            {
                writer.WritePropertyName(p.Name.Span);
                writer.WriteRawValue(p.Raw.Span, skipInputValidation: true);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteLabels(Utf8JsonWriter writer, ReadOnlySpan<Label> labels)
    {
        writer.WriteStartObject();
        foreach (var l in labels)
        {
            writer.WriteString(l.Name.Span, l.Value.Span);
        }
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, ReadOnlySpan<byte> name, List<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteStringValue(v);
        }
        writer.WriteEndArray();
    }

    private readonly record struct Series(int LabelStart, int LabelCount, int PropertyStart, int PropertyCount);

    private readonly record struct RawProperty(ReadOnlyMemory<byte> Name, ReadOnlyMemory<byte> Raw);
}
