using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Heimdall.Host.Logging;

/// <summary>
/// One JSON object per line with <c>trace_id</c>/<c>span_id</c> of the current activity on every line,
/// so logs join traces. Fields: time, level, logger, event_id, msg, trace_id, span_id, then the message's
/// structured properties (snake_case as written in the message templates).
/// </summary>
internal sealed class JsonLineFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "heimdall-json";

    // Log lines are read by people and log pipelines, not embedded in HTML: keep '+', '<', quotes readable.
    private static readonly JsonWriterOptions s_options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_options))
        {
            json.WriteStartObject();
            json.WriteString("time", DateTimeOffset.UtcNow.ToString("O"));
            json.WriteString("level", LevelName(logEntry.LogLevel));
            json.WriteString("logger", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("event_id", logEntry.EventId.Id);
            }
            json.WriteString("msg", message);
            var activity = Activity.Current;
            json.WriteString("trace_id", activity is null ? "" : activity.TraceId.ToHexString());
            json.WriteString("span_id", activity is null ? "" : activity.SpanId.ToHexString());
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> properties)
            {
                foreach (var (key, value) in properties)
                {
                    if (key != "{OriginalFormat}" && key is not ("time" or "level" or "logger" or "msg" or "trace_id" or "span_id"))
                    {
                        WriteValue(json, key, value);
                    }
                }
            }
            if (logEntry.Exception is not null)
            {
                json.WriteString("error", logEntry.Exception.ToString());
            }
            json.WriteEndObject();
        }
        textWriter.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write('\n');
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(key); break;
            case bool b: json.WriteBoolean(key, b); break;
            case int or long or short or byte or uint or ulong or ushort:
                json.WriteNumber(key, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case double or float or decimal:
                json.WriteNumber(key, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case IEnumerable<string> strings when value is not string:
                json.WriteStartArray(key);
                foreach (var s in strings)
                {
                    json.WriteStringValue(s);
                }
                json.WriteEndArray();
                break;
            default: json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "none",
    };
}
