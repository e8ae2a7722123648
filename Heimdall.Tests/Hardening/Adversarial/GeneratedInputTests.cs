using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Heimdall.Core.Federation;
using Heimdall.Core.PromQL.Parser;
using Heimdall.Tests.Common;
using Heimdall.Tests.PromQL;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>
/// Generated inputs, bounded in time: random well-typed PromQL (the round-trip property's generator, over this
/// suite's metrics) and random bytes sent through the real pipeline, and byte-level fuzzing of the PromQL parser and
/// the form parser. No crash, no hang, no exception, no 5xx; every answer is Prometheus JSON; everything forwarded
/// still carries the grant. Seeds are fixed and named in every failure message (replay: run the same theory row).
/// </summary>
[Collection(AdversarialCollection.Name)]
public sealed class GeneratedInputTests(AdversarialFixture fixture)
{
    private static readonly string[] s_metrics = ["hm_metric", "hm_public_info", "hm_secret_total"];

    // Names Debian's Prometheus 2.42 parses unquoted (no UTF-8 names), the suite's labels among them.
    private static readonly string[] s_labels = ["env", "team", "job", "instance", "le", "__name__"];

    private static bool Within(Stopwatch clock, TimeSpan budget) => clock.Elapsed < budget;

    /// <summary>The grant alternatives per tenant of each user the generated queries run as.</summary>
    private static readonly Dictionary<(string User, string Tenant), string[][]> s_grants = new()
    {
        [("alice", "acme")] = [["env=\"prod\""]],
        [("alice", "globex")] = [["env=\"dev\""]],
        [("carol", "acme")] = [["env=\"prod\"", "team=\"a\""], ["env=\"dev\"", "team=\"b\""]],
    };

    [Theory]
    [InlineData(101, "alice", "acme")]
    [InlineData(202, "alice", "acme|globex")]
    [InlineData(303, "carol", "acme")]
    public async Task AnswersWithoutServerError_ForGeneratedQueriesThroughHttp(int seed, string user, string tenants)
    {
        var generator = new PromQLTreeGenerator(new Random(seed), s_metrics, s_labels);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        var succeeded = 0;
        var refusals = new List<string>();
        for (; sent < 120 && Within(clock, TimeSpan.FromSeconds(6)); sent++)
        {
            var query = generator.Instant(3).ToString();
            var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.QueryAsync(user, query, tenants));
            var context = $"seed {seed}, query #{sent}: {query}\n{(int)answer.Status} {answer.Body}";
            Assert.True((int)answer.Status < 500, context);
            AssertPrometheusJson(answer.Body, context);
            if (answer.Status == HttpStatusCode.OK)
            {
                succeeded++;
            }
            else
            {
                refusals.Add($"{(int)answer.Status} {answer.Body} for {query}");
            }
            foreach (var request in forwarded)
            {
                GrantChecks.AssertEverySelectorHasOneOf(request.Parameters().Single(p => p.Key == "query").Value, s_grants[(user, request.Tenant!)]);
            }
        }
        Assert.True(sent >= 10, $"seed {seed}: only {sent} queries in the budget");
        // Most generated queries must run end to end, or the property says little.
        Assert.True(succeeded * 2 >= sent, $"seed {seed}: only {succeeded} of {sent} generated queries succeeded:\n{string.Join("\n", refusals.Take(30))}");
        AssertNoUnhandledException();
    }

    [Theory]
    [InlineData(313)]
    public async Task AnswersPrometheusJson_ForRandomBytesThroughHttp(int seed)
    {
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        for (; sent < 300 && Within(clock, TimeSpan.FromSeconds(6)); sent++)
        {
            var bytes = RandomFormBytes(random);
            var asQuery = random.Next(2) == 0;
            var path = (random.Next(4)) switch { 0 => "/api/v1/query", 1 => "/api/v1/series", 2 => "/prometheus/api/v1/labels", _ => "/api/v1/query_range" };
            using var request = fixture.Request(asQuery ? HttpMethod.Get : HttpMethod.Post,
                asQuery ? path + "?" + PercentEncodeSome(bytes, random) : path, fixture.Bearer("alice"), "acme");
            if (!asQuery)
            {
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
            }
            var answer = await fixture.SendAsync(request);
            var context = $"seed {seed}, request #{sent}: {request.Method} {request.RequestUri} body {Convert.ToHexString(bytes)}\n{(int)answer.Status} {answer.Body}";
            Assert.True((int)answer.Status < 500, context);
            AssertPrometheusJson(answer.Body, context);
        }
        Assert.True(sent >= 20, $"seed {seed}: only {sent} requests in the budget");
        AssertNoUnhandledException();
    }

    [Theory]
    [InlineData(404)]
    [InlineData(505)]
    public void NeverThrows_ForByteLevelParserFuzz(int seed)
    {
        var random = new Random(seed);
        var corpus = PromQLCorpusTests.ReadQueries("corpus.txt").Select(Encoding.UTF8.GetBytes).ToList();
        var clock = Stopwatch.StartNew();
        var runs = 0;
        for (; Within(clock, TimeSpan.FromSeconds(2)); runs++)
        {
            var bytes = Mutate(random, corpus[random.Next(corpus.Count)]);
            foreach (var text in new[] { Encoding.UTF8.GetString(bytes), Encoding.Latin1.GetString(bytes) })
            {
                try
                {
                    if (PromQLParser.TryParse(text, out var expr, out var error))
                    {
                        // Whatever parses prints and parses again.
                        Assert.True(PromQLParser.TryParse(expr!.ToString(), out _, out var again), $"seed {seed}, run {runs}: {text} printed as {expr} fails: {again}");
                    }
                    else
                    {
                        Assert.NotNull(error);
                    }
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    Assert.Fail($"seed {seed}, run {runs}: TryParse threw for {Convert.ToHexString(Encoding.UTF8.GetBytes(text))}: {e}");
                }
            }
        }
        Assert.True(runs > 100, $"seed {seed}: only {runs} runs");
    }

    [Theory]
    [InlineData(606)]
    public void NeverThrows_ForByteLevelFormFuzz(int seed)
    {
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var runs = 0;
        for (; Within(clock, TimeSpan.FromSeconds(2)); runs++)
        {
            var bytes = RandomFormBytes(random);
            try
            {
                var body = new List<KeyValuePair<string, string>>();
                var bodyError = FormUrlEncoding.TryParse(bytes, 64, body);
                var url = new List<KeyValuePair<string, string>>();
                var urlError = FormUrlEncoding.TryParseQueryString("?" + Encoding.Latin1.GetString(RandomFormBytes(random)), 64, url);
                if (bodyError is null && urlError is null)
                {
                    foreach (var endpoint in PrometheusEndpoints.All)
                    {
                        var normalized = RequestNormalizer.Normalize(endpoint, url, body);
                        Assert.True((normalized.Error is null) != (normalized.Parameters is null));
                    }
                    // Decoded values re-encode and parse back to the same pairs.
                    var again = new List<KeyValuePair<string, string>>();
                    Assert.Null(FormUrlEncoding.TryParse(Encoding.ASCII.GetBytes(FormUrlEncoding.Encode(body)), 64, again));
                    Assert.Equal(body, again);
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed}, run {runs}: the form parser threw for {Convert.ToHexString(bytes)}: {e}");
            }
        }
        Assert.True(runs > 100, $"seed {seed}: only {runs} runs");
    }

    /// <summary>Form-like bytes: names, '=', '&amp;', '%' escapes (valid and broken), '+', invalid UTF-8, NUL.</summary>
    private static byte[] RandomFormBytes(Random random)
    {
        string[] pieces = ["query", "match[]", "match%5B%5D", "time", "start", "=", "=", "&", "&", "%", "%2", "%zz", "%C3%A9", "%C3", "%FF", "%00", "+",
            "hm_metric", "{env=\"dev\"}", "%7Benv%3D%22dev%22%7D", "1", "NaN", "é", "\u0000", ";", "\r\n"];
        var sb = new List<byte>();
        for (var n = random.Next(0, 12); n > 0; n--)
        {
            if (random.Next(8) == 0)
            {
                sb.Add((byte)random.Next(256));
            }
            else
            {
                sb.AddRange(Encoding.UTF8.GetBytes(pieces[random.Next(pieces.Length)]));
            }
        }
        return [.. sb];
    }

    /// <summary>Bytes as a query string: unsafe bytes percent-encoded (so the request line stays valid HTTP), some safe ones too.</summary>
    private static string PercentEncodeSome(byte[] bytes, Random random)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes)
        {
            var safe = b is > 0x20 and < 0x7f && b != (byte)'#' && b != (byte)'"' && b != (byte)'{' && b != (byte)'}' && b != (byte)'\\' && b != (byte)'^' && b != (byte)'`' && b != (byte)'|';
            sb.Append(safe && random.Next(4) != 0 ? ((char)b).ToString() : "%" + b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Byte-level mutations: flips, inserts, deletes, duplicated and truncated slices.</summary>
    private static byte[] Mutate(Random random, byte[] input)
    {
        var bytes = input.ToList();
        for (var edits = random.Next(1, 6); edits > 0; edits--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                case 2 when bytes.Count > 0: bytes.RemoveAt(at); break;
                case 3 when bytes.Count > 0: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(random.Next(1, 16), bytes.Count - at))); break;
                case 4 when bytes.Count > 0: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.InsertRange(at, "()[]{}\"'`#@:=~!,"u8.ToArray()[random.Next(16)..]); break;
            }
        }
        return [.. bytes];
    }

    private static void AssertPrometheusJson(string body, string context)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var status = doc.RootElement.GetProperty("status").GetString();
            Assert.True(status is "success" or "error", context);
            if (status == "error")
            {
                Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("errorType").GetString()), context);
                Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("error").GetString()), context);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Assert.Fail("not a Prometheus JSON answer: " + context);
        }
    }

    private void AssertNoUnhandledException()
    {
        var log = fixture.Serve.Output;
        Assert.DoesNotContain("nhandled exception", log, StringComparison.Ordinal);
        Assert.Null(fixture.Serve.ExitCode);
    }
}
