using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Heimdall.Core.Identity.Jwt;

/// <summary>Keys from an identity provider's JWKS endpoint; while it is down the last keys fetched serve until <c>maxAge</c> passes.</summary>
internal sealed class JwksUrlKeySource(Func<HttpClient> http, Uri url, TimeProvider time, TimeSpan refreshInterval,
    TimeSpan minRefreshInterval, ILogger logger, TimeSpan maxAge = default)
    : ReloadingKeySource(time, refreshInterval, minRefreshInterval, logger, maxAge)
{
    /// <summary>A JWKS larger than this is refused.</summary>
    public const int MaxDocumentBytes = 1 << 20;

    protected override string Description => url.GetLeftPart(UriPartial.Path);

    protected override async Task<string?> LoadAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/jwk-set+json"));
        using var response = await http().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }
        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new InvalidDataException($"JWKS larger than {MaxDocumentBytes} bytes");
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int n;
        while ((n = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxDocumentBytes)
            {
                throw new InvalidDataException($"JWKS larger than {MaxDocumentBytes} bytes");
            }
            buffer.Write(chunk, 0, n);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
