using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>
/// Sends one HTTP/1.1 request exactly as written (no client-side normalisation of paths, headers or repeats) and
/// reads the answer; for path tricks and header smuggling that <see cref="HttpClient"/> would clean up.
/// </summary>
internal static class RawHttp
{
    public static async Task<(HttpStatusCode Status, string Headers, string Body)> SendAsync(Uri server, string requestLine, IEnumerable<string> headers, string body = "")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var text = new StringBuilder(requestLine).Append("\r\n").Append("Host: ").Append(server.Authority).Append("\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        if (bytes.Length > 0)
        {
            text.Append("Content-Length: ").Append(bytes.Length).Append("\r\n");
        }
        text.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
        await stream.WriteAsync(bytes);
        using var read = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await stream.CopyToAsync(read, timeout.Token);
        var answer = Encoding.UTF8.GetString(read.ToArray());
        var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? answer : answer[..split];
        var status = (HttpStatusCode)int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var content = split < 0 ? "" : answer[(split + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            content = Dechunk(content);
        }
        return (status, head, content);
    }

    private static string Dechunk(string chunked)
    {
        var sb = new StringBuilder();
        var at = 0;
        while (at < chunked.Length)
        {
            var eol = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..eol].Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }
            sb.Append(chunked, eol + 2, size);
            at = eol + 2 + size + 2;
        }
        return sb.ToString();
    }
}
