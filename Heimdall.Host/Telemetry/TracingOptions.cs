namespace Heimdall.Host.Telemetry;

/// <summary>OpenTelemetry tracing export (<c>telemetry.tracing.*</c>); off by default.</summary>
internal sealed record TracingOptions
{
    /// <summary><c>telemetry.tracing.enabled</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>telemetry.tracing.endpoint</c>: the OTLP collector, e.g. <c>http://otel-collector:4317</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary><c>telemetry.tracing.protocol</c>: <c>grpc</c> (default) or <c>http</c> (HTTP/protobuf).</summary>
    public string Protocol { get; init; } = "grpc";

    /// <summary><c>telemetry.tracing.sample_ratio</c>: 0 to 1, parent-based.</summary>
    public double SampleRatio { get; init; } = 1.0;

    /// <summary><c>telemetry.tracing.insecure_skip_verify</c>: accept any server certificate.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary><c>telemetry.tracing.auth.type</c>: <c>none</c>, <c>basic</c>, <c>bearer</c>, <c>api_key</c> or <c>mtls</c>.</summary>
    public string AuthType { get; init; } = "none";

    /// <summary><c>telemetry.tracing.auth.username</c> (basic).</summary>
    public string? Username { get; init; }

    /// <summary><c>telemetry.tracing.auth.password</c> (basic).</summary>
    public string? Password { get; init; }

    /// <summary><c>telemetry.tracing.auth.token</c> (bearer).</summary>
    public string? Token { get; init; }

    /// <summary><c>telemetry.tracing.auth.header</c> (api_key): the header name, default <c>x-api-key</c>.</summary>
    public string ApiKeyHeader { get; init; } = "x-api-key";

    /// <summary><c>telemetry.tracing.auth.api_key</c> (api_key).</summary>
    public string? ApiKey { get; init; }

    /// <summary><c>telemetry.tracing.auth.cert_file</c> and <c>key_file</c> (mtls): PEM client certificate and key.</summary>
    public string? CertFile { get; init; }

    /// <summary><c>telemetry.tracing.auth.key_file</c> (mtls).</summary>
    public string? KeyFile { get; init; }

    /// <summary><c>telemetry.tracing.ca_file</c>: PEM CA bundle to trust for the collector.</summary>
    public string? CaFile { get; init; }

    /// <summary>Reports every configuration error at once.</summary>
    public IEnumerable<string> Validate()
    {
        if (!Enabled)
        {
            yield break;
        }
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return "telemetry.tracing.endpoint: must be an http(s) URL when tracing is enabled";
        }
        if (Protocol is not ("grpc" or "http"))
        {
            yield return $"telemetry.tracing.protocol: \"{Protocol}\" is not grpc or http";
        }
        if (SampleRatio is < 0 or > 1)
        {
            yield return "telemetry.tracing.sample_ratio: must be between 0 and 1";
        }
        switch (AuthType)
        {
            case "none":
                break;
            case "basic" when string.IsNullOrEmpty(Username) || Password is null:
                yield return "telemetry.tracing.auth: basic needs username and password";
                break;
            case "bearer" when string.IsNullOrEmpty(Token):
                yield return "telemetry.tracing.auth: bearer needs token";
                break;
            case "api_key" when string.IsNullOrEmpty(ApiKey):
                yield return "telemetry.tracing.auth: api_key needs api_key";
                break;
            case "mtls" when string.IsNullOrEmpty(CertFile) || string.IsNullOrEmpty(KeyFile):
                yield return "telemetry.tracing.auth: mtls needs cert_file and key_file";
                break;
            case "basic" or "bearer" or "api_key" or "mtls":
                break;
            default:
                yield return $"telemetry.tracing.auth.type: \"{AuthType}\" is not none, basic, bearer, api_key or mtls";
                break;
        }
        foreach (var (key, file) in new[] { ("cert_file", CertFile), ("key_file", KeyFile), ("ca_file", CaFile) })
        {
            if (!string.IsNullOrEmpty(file) && !File.Exists(file))
            {
                yield return $"telemetry.tracing.{key}: file \"{file}\" does not exist";
            }
        }
    }

    public static TracingOptions From(IConfiguration config)
    {
        var t = config.GetSection("telemetry:tracing");
        var auth = t.GetSection("auth");
        return new TracingOptions
        {
            Enabled = t.GetValue("enabled", false),
            Endpoint = t["endpoint"],
            Protocol = t["protocol"] ?? "grpc",
            SampleRatio = t.GetValue("sample_ratio", 1.0),
            InsecureSkipVerify = t.GetValue("insecure_skip_verify", false),
            AuthType = auth["type"] ?? "none",
            Username = auth["username"],
            Password = auth["password"],
            Token = auth["token"],
            ApiKeyHeader = auth["header"] ?? "x-api-key",
            ApiKey = auth["api_key"],
            CertFile = auth["cert_file"],
            KeyFile = auth["key_file"],
            CaFile = t["ca_file"],
        };
    }
}
