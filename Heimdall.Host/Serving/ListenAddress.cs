using System.Net;

namespace Heimdall.Host.Serving;

/// <summary>A listen address in the Go style of the config file: <c>:9091</c>, <c>127.0.0.1:9091</c>, <c>[::1]:9091</c>.</summary>
internal readonly record struct ListenAddress(IPAddress? Address, int Port)
{
    public static bool TryParse(string? text, out ListenAddress address, out string error)
    {
        address = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"\"{text}\" has no port (expected host:port or :port)";
            return false;
        }
        var host = text[..colon].Trim('[', ']');
        if (!int.TryParse(text[(colon + 1)..], out var port) || port is < 0 or > 65535)
        {
            error = $"\"{text}\" has an invalid port";
            return false;
        }
        IPAddress? ip = null;
        if (host.Length > 0 && host != "*" && !(host == "localhost" && (ip = IPAddress.Loopback) is not null) && !IPAddress.TryParse(host, out ip))
        {
            error = $"\"{text}\" has an invalid host (use an IP address, localhost or nothing for all interfaces)";
            return false;
        }
        address = new ListenAddress(ip, port);
        return true;
    }

    public override string ToString() => Address is null ? $":{Port}" : $"{Address}:{Port}";
}
