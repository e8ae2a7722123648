using System.Net;
using System.Text.Json;
using Heimdall.Host.Logging;
using Heimdall.Host.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Heimdall.Host.Serving;

/// <summary>
/// Builds the <c>heimdall serve</c> app: the proxy listener (Prometheus API, explain, admin) and the
/// bundle listener (OPA bundle, <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>) in one process.
/// </summary>
internal static class HeimdallServer
{
    /// <summary>Health checks with this tag decide <c>/readyz</c> (store, bundle, OPA).</summary>
    public const string ReadyTag = Heimdall.AspNetCore.Health.HealthCheckRegistration.ReadyTag;

    public static WebApplication Build(IConfiguration configuration, ServerOptions server, TracingOptions tracing)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddConfiguration(configuration);
        LoggingSetup.Configure(builder.Logging, server.LogFormat, server.LogLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = server.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Hard caps; the limits served are RequestHeaderLimits', answered in Prometheus' JSON format.
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestHeaderLimits.KestrelMaxHeaderBytes;
            kestrel.Limits.MaxRequestLineSize = RequestHeaderLimits.KestrelMaxRequestLineBytes;
            kestrel.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
            Listen(kestrel, server.Main, Listener.Main);
            Listen(kestrel, server.Bundle, Listener.Bundle);
        });
        builder.Services.AddHealthChecks();
        builder.Services.AddHeimdallTelemetry(tracing);
        // The embedded default: a SQLite file when the configuration names no policy source.
        builder.Services.AddHeimdall(configuration).UsePolicyStore(new Heimdall.Core.Storage.PolicyStoreOptions());

        var app = builder.Build();
        app.Use(RequestHeaderLimits.UseAsync);
        app.UseRouting();
        app.Use((context, next) => Listener.UseListenerIsolationAsync(context, next));

        app.MapHeimdall();
        app.MapFallback(context => Heimdall.AspNetCore.Http.PrometheusError.WriteAsync(context, StatusCodes.Status404NotFound,
            $"{context.Request.Path} is not a Heimdall endpoint"));

        var bundle = new[]
        {
            app.MapGet("/healthz", () => Results.Text("ok\n")),
            app.MapHealthChecks("/readyz", new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(ReadyTag),
                ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable },
                ResponseWriter = WriteHealthAsync,
            }),
            app.MapPrometheusScrapingEndpoint("/metrics"),
            app.MapHeimdallBundles(),
        };
        foreach (var endpoint in bundle)
        {
            endpoint.WithMetadata(Listener.Bundle);
        }
        return app;
    }

    /// <summary>The addresses Kestrel actually bound (port 0 resolved), main first.</summary>
    public static IReadOnlyList<string> BoundAddresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, ListenAddress address, Listener listener)
    {
        if (address.Address is null)
        {
            kestrel.ListenAnyIP(address.Port, listener.Tag);
        }
        else
        {
            kestrel.Listen(address.Address, address.Port, listener.Tag);
        }
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Status.ToString().ToLowerInvariant(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new Dictionary<string, string?>
            {
                ["status"] = e.Value.Status.ToString().ToLowerInvariant(),
                ["description"] = e.Value.Description ?? e.Value.Exception?.Message,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
