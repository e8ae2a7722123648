using Microsoft.Extensions.Logging.Console;

namespace Heimdall.Host.Logging;

/// <summary>Console logging for the host: JSON lines (default) or human-readable text, level from config.</summary>
internal static class LoggingSetup
{
    public static void Configure(ILoggingBuilder logging, string format, LogLevel level)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        // ASP.NET Core's own request logs are noisy at info; keep warnings.
        logging.AddFilter("Microsoft.AspNetCore", level > LogLevel.Warning ? level : LogLevel.Warning);
        logging.AddFilter("System.Net.Http.HttpClient", level > LogLevel.Warning ? level : LogLevel.Warning);
        if (format == "text")
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
        else
        {
            logging.AddConsole(o => o.FormatterName = JsonLineFormatter.FormatterName)
                   .AddConsoleFormatter<JsonLineFormatter, ConsoleFormatterOptions>();
        }
    }

    public static bool TryParseLevel(string? text, out LogLevel level)
    {
        level = (text ?? "info").ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" or "information" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "fatal" or "critical" => LogLevel.Critical,
            _ => (LogLevel)(-1),
        };
        return level >= 0;
    }
}
