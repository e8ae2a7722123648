using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Heimdall.Core.Diagnostics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Heimdall.Host.Telemetry;

/// <summary>
/// Wires OpenTelemetry for the host: Heimdall's meter always (exported at <c>/metrics</c> in Prometheus
/// format), Heimdall's spans over OTLP when <c>telemetry.tracing.enabled</c>. The library itself only owns
/// the <c>Heimdall</c> ActivitySource and Meter.
/// </summary>
internal static class TelemetrySetup
{
    public static void AddHeimdallTelemetry(this IServiceCollection services, TracingOptions tracing)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("heimdall", serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString(3)))
            .WithMetrics(m => m
                .AddMeter(HeimdallDiagnostics.Name)
                .AddView(instrument => instrument.Unit == "s"
                    ? new ExplicitBucketHistogramConfiguration { Boundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] }
                    : null)
                .AddPrometheusExporter(o => o.DisableTotalNameSuffixForCounters = false));

        if (!tracing.Enabled)
        {
            return;
        }
        otel.WithTracing(t => t
            .AddSource(HeimdallDiagnostics.Name)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(tracing.SampleRatio)))
            .AddOtlpExporter(o => ConfigureExporter(o, tracing)));
    }

    private static void ConfigureExporter(OtlpExporterOptions o, TracingOptions tracing)
    {
        o.Endpoint = new Uri(tracing.Endpoint!);
        o.Protocol = tracing.Protocol == "http" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        if (tracing.Protocol == "http" && !o.Endpoint.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal))
        {
            o.Endpoint = new Uri(o.Endpoint, o.Endpoint.AbsolutePath.TrimEnd('/') + "/v1/traces");
        }
        o.Headers = tracing.AuthType switch
        {
            "basic" => "Authorization=Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{tracing.Username}:{tracing.Password}")),
            "bearer" => "Authorization=Bearer " + tracing.Token,
            "api_key" => $"{tracing.ApiKeyHeader}={tracing.ApiKey}",
            _ => null,
        };
        if (tracing.InsecureSkipVerify || tracing.CaFile is not null || tracing.AuthType == "mtls")
        {
            o.HttpClientFactory = () => new HttpClient(CreateHandler(tracing)) { Timeout = TimeSpan.FromSeconds(10) };
        }
    }

    private static SocketsHttpHandler CreateHandler(TracingOptions tracing)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (tracing.AuthType == "mtls")
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(tracing.CertFile!, tracing.KeyFile)];
        }
        if (tracing.InsecureSkipVerify)
        {
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (tracing.CaFile is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(tracing.CaFile);
            ssl.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }
        return new SocketsHttpHandler { SslOptions = ssl, EnableMultipleHttp2Connections = true };
    }
}
