using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Heimdall.Tests.Host;

/// <summary>
/// <c>heimdall serve</c> with <c>telemetry.tracing</c> exports its spans over OTLP (gRPC and HTTP/protobuf) with the
/// configured credentials. No OpenTelemetry Collector can be installed here, so the collector is a loopback OTLP
/// receiver that speaks the wire protocol (gRPC over cleartext HTTP/2, or POST /v1/traces) and records what arrives;
/// the upstream is a real Prometheus and the request goes through the real JWT, policy, rewrite and dispatch steps.
/// </summary>
public sealed class OtlpExportTests(PrometheusServerFixture prometheus) : IClassFixture<PrometheusServerFixture>
{
    private const string GrpcExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    public static TheoryData<string, string, string, string> Exports() => new()
    {
        // protocol, auth YAML, header that must arrive, its expected value
        { "grpc", "type: bearer\n      token: otlp-secret", "authorization", "Bearer otlp-secret" },
        { "http", "type: api_key\n      header: x-honeycomb-team\n      api_key: key-123", "x-honeycomb-team", "key-123" },
        { "http", "type: basic\n      username: heimdall\n      password: pw", "authorization", "Basic " + Convert.ToBase64String("heimdall:pw"u8) },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task ExportsPipelineSpans_WithConfiguredCredentials(string protocol, string authYaml, string header, string expected)
    {
        var received = new List<(string Path, string? ContentType, string? Header, byte[] Body)>();
        await using var collector = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            lock (received)
            {
                received.Add((context.Request.Path, context.Request.ContentType, context.Request.Headers[header].ToString(), body.ToArray()));
            }
            if (protocol == "grpc")
            {
                // An empty ExportTraceServiceResponse in one gRPC frame, then status OK in the trailers.
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(new byte[5]);
                context.Response.AppendTrailer("grpc-status", "0");
            }
            else
            {
                context.Response.ContentType = "application/x-protobuf";
            }
        }), protocols: protocol == "grpc" ? HttpProtocols.Http2 : HttpProtocols.Http1);

        await RunOneQueryAsync(collector.Address, protocol, authYaml);

        Assert.NotEmpty(received);
        var all = received.SelectMany(r => r.Body).ToArray();
        foreach (var (path, contentType, value, _) in received)
        {
            Assert.Equal(protocol == "grpc" ? GrpcExportPath : "/v1/traces", path);
            Assert.Equal(protocol == "grpc" ? "application/grpc" : "application/x-protobuf", contentType);
            Assert.Equal(expected, value);
        }
        // Protobuf keeps strings as raw UTF-8: the span names of DESIGN §8 and the service name must be in the export.
        var text = Encoding.UTF8.GetString(all);
        foreach (var span in (string[])["jwt.Validate", "fanout.EvaluateTenants", "rewrite.Query", "fanout.Dispatch", "fanout.DispatchSingle"])
        {
            Assert.Contains(span, text, StringComparison.Ordinal);
        }
        Assert.Contains("heimdall", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportsOverTls_WithClientCertificate()
    {
        using var serverCert = SelfSigned("CN=otlp-collector");
        using var clientCert = SelfSigned("CN=heimdall-client");
        var clientSubjects = new List<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serverCert;
            https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (_, _, _) => true; // self-signed client certificate; recorded below
        })));
        await using var collector = builder.Build();
        collector.Run(async context =>
        {
            var certificate = await context.Connection.GetClientCertificateAsync();
            lock (clientSubjects)
            {
                clientSubjects.Add(certificate?.Subject ?? "");
            }
            context.Response.ContentType = "application/x-protobuf";
        });
        await collector.StartAsync();
        var address = new Uri(collector.Urls.First().Replace("http://", "https://", StringComparison.Ordinal));

        var certs = Directory.CreateTempSubdirectory("heimdall-otlp-certs-");
        try
        {
            var certFile = Path.Combine(certs.FullName, "client.pem");
            var keyFile = Path.Combine(certs.FullName, "client.key");
            await File.WriteAllTextAsync(certFile, clientCert.ExportCertificatePem());
            await File.WriteAllTextAsync(keyFile, clientCert.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
            await RunOneQueryAsync(address, "http", $"type: mtls\n      cert_file: \"{certFile}\"\n      key_file: \"{keyFile}\"",
                extraTracingYaml: "insecure_skip_verify: true");
        }
        finally
        {
            certs.Delete(recursive: true);
            await collector.StopAsync();
        }

        Assert.NotEmpty(clientSubjects);
        Assert.All(clientSubjects, subject => Assert.Equal("CN=heimdall-client", subject));
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel on Linux needs the key in an exportable, re-imported form.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>Starts <c>heimdall serve</c> exporting to <paramref name="endpoint"/>, sends one query as alice, stops it (SIGTERM flushes spans).</summary>
    private async Task RunOneQueryAsync(Uri endpoint, string protocol, string authYaml, string extraTracingYaml = "")
    {
        var key = TestSigningKey.Rsa();
        var dir = Directory.CreateTempSubdirectory("heimdall-otlp-");
        try
        {
            var jwks = Path.Combine(dir.FullName, "jwks.json");
            await File.WriteAllTextAsync(jwks, TestSigningKey.Jwks(key));
            var policies = Directory.CreateDirectory(Path.Combine(dir.FullName, "policies"));
            await File.WriteAllTextAsync(Path.Combine(policies.FullName, "alice.json"), """
                [{"name": "alice-reads-acme", "effect": "allow", "subjects": [{"type": "user", "id": "alice"}],
                  "actions": ["read"], "scope": {"tenants": ["acme"], "resources": ["metrics"]}, "filters": ["job=\"prometheus\""]}]
                """);
            var config = Path.Combine(dir.FullName, "config.yaml");
            await File.WriteAllTextAsync(config, $"""
                mimir:
                  url: {prometheus.Server.BaseAddress}
                jwt:
                  jwks_file: "{jwks}"
                  audience: heimdall
                policies:
                  directory: "{policies.FullName}"
                bundle:
                  allow_anonymous: true
                telemetry:
                  tracing:
                    enabled: true
                    endpoint: {endpoint}
                    protocol: {protocol}
                    {extraTracingYaml}
                    auth:
                      {authYaml}
                """);
            await using var serve = await HeimdallServeProcess.StartAsync(["--config", config]);
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(serve.MainUrl, "/api/v1/query?query=up"));
            request.Headers.Add("Authorization", "Bearer " + key.Mint(audience: "heimdall"));
            request.Headers.Add("X-Scope-OrgID", "acme");
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync() + "\n" + serve.Output);

            // Spans are batched; SIGTERM flushes the exporter before the process exits.
            Assert.Equal(0, await serve.StopAsync());
        }
        finally
        {
            dir.Delete(recursive: true);
        }

    }
}
