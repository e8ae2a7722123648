using System.CommandLine;
using Heimdall.AspNetCore.Configuration;
using Heimdall.Host.Configuration;
using Heimdall.Host.Serving;
using Heimdall.Host.Telemetry;

namespace Heimdall.Host.Commands;

/// <summary><c>heimdall serve</c>: runs the gateway until SIGINT/SIGTERM, then drains in-flight requests.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "YAML configuration file (see config.example.yaml)." };
        var mainAddr = new Option<string?>("--main-addr") { Description = "Proxy listener, overrides server.main.addr (default :9091)." };
        var bundleAddr = new Option<string?>("--bundle-addr") { Description = "Bundle/metrics/health listener, overrides server.bundle.addr (default :9092)." };
        var logLevel = new Option<string?>("--log-level") { Description = "trace, debug, info, warn or error; overrides server.log_level." };
        var logFormat = new Option<string?>("--log-format") { Description = "json or text; overrides server.log_format." };
        var serve = new Command("serve", "Run the Heimdall gateway.") { config, mainAddr, bundleAddr, logLevel, logFormat };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var flags = new Dictionary<string, string?>
            {
                ["server:main:addr"] = parse.GetValue(mainAddr),
                ["server:bundle:addr"] = parse.GetValue(bundleAddr),
                ["server:log_level"] = parse.GetValue(logLevel),
                ["server:log_format"] = parse.GetValue(logFormat),
            };
            IConfiguration configuration;
            try
            {
                configuration = HeimdallConfiguration.Load(parse.GetValue(config), flags);
            }
            catch (Exception e) when (e is FileNotFoundException or FormatException or InvalidDataException)
            {
                return ReportInvalid([e.Message]);
            }
            var errors = new List<string>();
            var server = ServerOptions.From(configuration, errors);
            var tracing = TracingOptions.From(configuration);
            errors.AddRange(tracing.Validate());
            var settings = HeimdallSettingsBinder.Bind(configuration, identityRequired: true, out var heimdallErrors);
            errors.AddRange(heimdallErrors);
            if (settings.Bundle.Token is null && !settings.Bundle.AllowAnonymous)
            {
                errors.Add("bundle.token: required (OPA's bearer credentials for the bundle endpoint), or bundle.allow_anonymous: true for a demo");
            }
            if (server is null || errors.Count > 0)
            {
                return ReportInvalid(errors);
            }

            await using var app = HeimdallServer.Build(configuration, server, tracing);
            await app.StartAsync(cancellationToken);
            app.Logger.LogInformation("heimdall listening on {addresses}", string.Join(", ", HeimdallServer.BoundAddresses(app)));
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return serve;
    }

    private static int ReportInvalid(IReadOnlyList<string> errors)
    {
        Console.Error.WriteLine($"heimdall: invalid configuration ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):");
        foreach (var e in errors)
        {
            Console.Error.WriteLine("  - " + e);
        }
        return 2;
    }
}
