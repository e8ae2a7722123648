using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Heimdall.Core.Federation;

/// <summary>
/// The pooled HTTP client for the upstream: one <see cref="SocketsHttpHandler"/> (connection pooling, HTTP/2
/// when the server offers it over TLS, <c>insecure_skip_verify</c> or a custom CA), the upstream's own credentials,
/// base URLs with Mimir's <c>/prometheus</c> prefix and per-tenant overrides.
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    private readonly UpstreamOptions _options;
    private readonly string _baseUrl;
    private readonly Dictionary<string, string> _tenantUrls;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <summary>Creates the client; <paramref name="handler"/> replaces the socket handler (tests, custom stacks).</summary>
    public UpstreamClient(UpstreamOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _baseUrl = NormalizeBaseUrl(options.Url ?? throw new ArgumentException("mimir.url is required", nameof(options)));
        _tenantUrls = options.TenantUrls.ToDictionary(kv => kv.Key, kv => NormalizeBaseUrl(kv.Value), StringComparer.Ordinal);
        RemoteWriteUrl = options.RemoteWriteUrl ?? DefaultRemoteWriteUrl(new Uri(_baseUrl));
        _authorization = options.Auth.Type switch
        {
            UpstreamAuthType.Bearer => new AuthenticationHeaderValue("Bearer", options.Auth.Token),
            UpstreamAuthType.Basic => new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Auth.Username}:{options.Auth.Password}"))),
            _ => null,
        };
        Invoker = new HttpMessageInvoker(handler ?? CreateHandler(options), disposeHandler: true);
    }

    /// <summary>The shared invoker (also used by the remote-write forwarder).</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>Where remote-write pushes go.</summary>
    public Uri RemoteWriteUrl { get; }

    /// <summary>The <c>Authorization</c> header Heimdall sends upstream, if any.</summary>
    public AuthenticationHeaderValue? Authorization => _authorization;

    /// <summary>True when <paramref name="tenant"/> has its own upstream URL (and can never be federated with others).</summary>
    public bool HasOwnUrl(string tenant) => _tenantUrls.ContainsKey(tenant);

    /// <summary>The base URL for a request over <paramref name="tenants"/>.</summary>
    public string BaseUrlFor(IReadOnlyList<string> tenants) =>
        tenants.Count == 1 && _tenantUrls.TryGetValue(tenants[0], out var own) ? own : _baseUrl;

    /// <summary>Builds the HTTP request: parameters as a form body for POST endpoints, else as the query string.</summary>
    public HttpRequestMessage CreateRequest(UpstreamRequest request)
    {
        var baseUrl = BaseUrlFor(request.Tenants);
        var path = request.Endpoint.UpstreamPath(request.LabelName);
        var encoded = request.Parameters.Encode();
        HttpRequestMessage message;
        if (request.Endpoint.UpstreamMethod == "POST")
        {
            message = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl + path))
            {
                Content = new StringContent(encoded, Encoding.ASCII, "application/x-www-form-urlencoded"),
            };
            message.Content.Headers.ContentType!.CharSet = null;
        }
        else
        {
            message = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl + path + (encoded.Length > 0 ? "?" + encoded : "")));
        }
        message.Version = HttpVersion.Version20;
        message.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        message.Headers.TryAddWithoutValidation(TenantHeader.Name, TenantHeader.Format(request.Tenants));
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_authorization is not null)
        {
            message.Headers.Authorization = _authorization;
        }
        return message;
    }

    /// <summary>
    /// The base under which <c>/api/v1/…</c> lives: the URL without a trailing <c>/</c> or <c>/api/v1</c>
    /// (<c>http://mimir/prometheus/api/v1/</c> → <c>http://mimir/prometheus</c>).
    /// </summary>
    public static string NormalizeBaseUrl(Uri url)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"upstream URL '{url}' must be an absolute http(s) URL");
        }
        var path = url.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api/v1", StringComparison.Ordinal))
        {
            path = path[..^"/api/v1".Length];
        }
        return new UriBuilder(url) { Path = path, Query = "", Fragment = "" }.Uri.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>Mimir's distributor push endpoint: <c>/api/v1/push</c> at the root, outside the <c>/prometheus</c> prefix.</summary>
    public static Uri DefaultRemoteWriteUrl(Uri baseUrl)
    {
        var path = baseUrl.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/prometheus", StringComparison.Ordinal))
        {
            path = path[..^"/prometheus".Length];
        }
        return new UriBuilder(baseUrl) { Path = path + "/api/v1/push" }.Uri;
    }

    /// <summary>The socket handler: pooling, decompression, TLS options.</summary>
    public static SocketsHttpHandler CreateHandler(UpstreamOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            EnableMultipleHttp2Connections = true,
            // Asking for gzip is what costs (the upstream compresses, Heimdall inflates); off unless configured.
            AutomaticDecompression = options.Compression == UpstreamCompression.Gzip
                ? DecompressionMethods.GZip | DecompressionMethods.Deflate
                : DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (options.InsecureSkipVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (!string.IsNullOrEmpty(options.CaFile))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(options.CaFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidateWithCustomRoots(certificate, errors, roots);
        }
        return handler;
    }

    /// <summary>Validates a server certificate against <paramref name="roots"/> only (the host name must still match).</summary>
    public static bool ValidateWithCustomRoots(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <inheritdoc />
    public void Dispose() => Invoker.Dispose();

    /// <summary>The configured options.</summary>
    public UpstreamOptions Options => _options;
}
