using Heimdall.AspNetCore.Configuration;
using Heimdall.Host.Logging;

namespace Heimdall.Host.Serving;

/// <summary>The <c>server.*</c> keys: listeners, logging, shutdown.</summary>
internal sealed record ServerOptions
{
    public required ListenAddress Main { get; init; }
    public required ListenAddress Bundle { get; init; }
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    public string LogFormat { get; init; } = "json";
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads the options, collecting every error instead of stopping at the first.</summary>
    public static ServerOptions? From(IConfiguration config, List<string> errors)
    {
        var ok = true;
        if (!ListenAddress.TryParse(config["server:main:addr"] ?? ":9091", out var main, out var e1))
        {
            errors.Add("server.main.addr: " + e1);
            ok = false;
        }
        if (!ListenAddress.TryParse(config["server:bundle:addr"] ?? ":9092", out var bundle, out var e2))
        {
            errors.Add("server.bundle.addr: " + e2);
            ok = false;
        }
        if (ok && main.Port != 0 && main.Port == bundle.Port)
        {
            errors.Add("server.bundle.addr: must differ from server.main.addr");
            ok = false;
        }
        if (!LoggingSetup.TryParseLevel(config["server:log_level"], out var level))
        {
            errors.Add($"server.log_level: \"{config["server:log_level"]}\" is not trace, debug, info, warn or error");
            ok = false;
        }
        var format = config["server:log_format"] ?? "json";
        if (format is not ("json" or "text"))
        {
            errors.Add($"server.log_format: \"{format}\" is not json or text");
            ok = false;
        }
        var shutdown = TimeSpan.FromSeconds(30);
        if (config["server:shutdown_timeout"] is { } st && !ConfigurationReader.TryParseGoDuration(st, out shutdown))
        {
            errors.Add($"server.shutdown_timeout: \"{st}\" is not a duration like 30s");
            ok = false;
        }
        return ok ? new ServerOptions { Main = main, Bundle = bundle, LogLevel = level, LogFormat = format, ShutdownTimeout = shutdown } : null;
    }
}
