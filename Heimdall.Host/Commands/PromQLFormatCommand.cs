using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Host.Commands;

/// <summary>
/// <c>heimdall promql format QUERY</c> prints Prometheus' pretty canonical form (what <c>/api/v1/format_query</c> returns);
/// <c>heimdall promql format --jsonl</c> formats one JSON string per stdin line.
/// </summary>
internal static class PromQLFormatCommand
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var query = new Argument<string?>("query") { Description = "The PromQL query to format.", Arity = ArgumentArity.ZeroOrOne };
        var jsonl = new Option<bool>("--jsonl")
        {
            Description = "Read JSON strings from stdin, one per line; write {\"ok\":true,\"formatted\":...} or {\"ok\":false,\"error\":...} per line.",
        };
        var command = new Command("format", "Print a query in Prometheus' canonical pretty form; exit 1 with the parse error otherwise.");
        command.Arguments.Add(query);
        command.Options.Add(jsonl);
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(jsonl))
            {
                return RunJsonLines(Console.In, Console.Out);
            }
            var text = parseResult.GetValue(query);
            if (text is null)
            {
                Console.Error.WriteLine("a query argument or --jsonl is required");
                return 2;
            }
            if (!PromQLParser.TryParse(text, out var expr, out var error))
            {
                Console.Error.WriteLine(error);
                return 1;
            }
            Console.Out.WriteLine(expr!.Pretty());
            return 0;
        });
        return command;
    }

    internal static int RunJsonLines(TextReader input, TextWriter output)
    {
        var buffer = new MemoryStream();
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
            {
                writer.WriteStartObject();
                string? text = null;
                string? problem = null;
                try
                {
                    text = JsonSerializer.Deserialize<string>(line);
                    if (text is null)
                    {
                        problem = "each line must be a JSON string";
                    }
                }
                catch (JsonException ex)
                {
                    problem = "invalid JSON: " + ex.Message;
                }
                if (text is not null)
                {
                    if (PromQLParser.TryParse(text, out var expr, out var error))
                    {
                        writer.WriteBoolean("ok", true);
                        writer.WriteString("formatted", expr!.Pretty());
                    }
                    else
                    {
                        problem = error!.ToString();
                    }
                }
                if (problem is not null)
                {
                    writer.WriteBoolean("ok", false);
                    writer.WriteString("error", problem);
                }
                writer.WriteEndObject();
            }
            output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            output.Flush();
        }
        return 0;
    }
}
