using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Host.Commands;

/// <summary>
/// <c>heimdall promql inject --matcher 'env="prod"' [--matcher ...] [--strict] QUERY</c> prints the rewritten query;
/// <c>heimdall promql inject --jsonl</c> reads <c>{"query": "...", "matchers": [...]}</c> or
/// <c>{"query": "...", "alternatives": [[...], [...]]}</c> lines from stdin and writes
/// <c>{"ok": true, "rewritten": "..."}</c> or <c>{"ok": false, "error": "..."}</c> lines.
/// </summary>
internal static class PromQLInjectCommand
{
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var matchers = new Option<string[]>("--matcher", "-m")
        {
            Description = "A label matcher of the grant (ANDed), e.g. env=\"prod\"; repeat for more.",
            AllowMultipleArgumentsPerToken = false,
        };
        var strict = new Option<bool>("--strict") { Description = "Fail when a selector asks only for values outside the grant." };
        var jsonl = new Option<bool>("--jsonl") { Description = "Read JSON lines {\"query\", \"matchers\"|\"alternatives\"} from stdin; write one result line each." };
        var query = new Argument<string?>("query") { Description = "The PromQL query.", Arity = ArgumentArity.ZeroOrOne };

        var command = new Command("inject", "Restrict a PromQL query to a grant by injecting label matchers into every selector.");
        command.Options.Add(matchers);
        command.Options.Add(strict);
        command.Options.Add(jsonl);
        command.Arguments.Add(query);
        command.SetAction(parseResult =>
        {
            var options = new InjectionOptions { Strict = parseResult.GetValue(strict) };
            if (parseResult.GetValue(jsonl))
            {
                return RunJsonLines(Console.In, Console.Out, options);
            }
            var text = parseResult.GetValue(query);
            if (string.IsNullOrEmpty(text))
            {
                Console.Error.WriteLine("error: a query is required (or --jsonl)");
                return 2;
            }
            var given = parseResult.GetValue(matchers) ?? [];
            if (!Grant.TryParse([given], out var grant, out var grantError))
            {
                Console.Error.WriteLine("error: " + grantError);
                return 2;
            }
            var result = LabelInjector.Inject(text, grant, options);
            if (!result.Succeeded)
            {
                Console.Error.WriteLine("error: " + result.Error);
                return 1;
            }
            Console.Out.WriteLine(result.Expr!.ToString());
            return 0;
        });
        return command;
    }

    internal static int RunJsonLines(TextReader input, TextWriter output, InjectionOptions options)
    {
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var (rewritten, error) = InjectLine(line, options);
            output.WriteLine(error is null
                ? JsonSerializer.Serialize(new { ok = true, rewritten }, s_json)
                : JsonSerializer.Serialize(new { ok = false, error }, s_json));
        }
        output.Flush();
        return 0;
    }

    private static (string? Rewritten, string? Error) InjectLine(string line, InjectionOptions options)
    {
        string? query;
        List<List<string>> alternatives;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("query", out var q) || q.ValueKind != JsonValueKind.String)
            {
                return (null, "each line must be an object with a string \"query\"");
            }
            query = q.GetString();
            var hasMatchers = root.TryGetProperty("matchers", out var m);
            var hasAlternatives = root.TryGetProperty("alternatives", out var a);
            if (hasMatchers == hasAlternatives)
            {
                return (null, "give exactly one of \"matchers\" and \"alternatives\"");
            }
            alternatives = hasMatchers ? [Strings(m)] : [.. a.EnumerateArray().Select(Strings)];
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return (null, "invalid JSON line: " + ex.Message);
        }
        if (!Grant.TryParse(alternatives, out var grant, out var grantError))
        {
            return (null, grantError);
        }
        var result = LabelInjector.Inject(query!, grant, options);
        return result.Succeeded ? (result.Expr!.ToString(), null) : (null, result.Error);
    }

    private static List<string> Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new InvalidOperationException("matchers must be strings"))]
            : throw new InvalidOperationException("matchers must be an array of strings");
}
