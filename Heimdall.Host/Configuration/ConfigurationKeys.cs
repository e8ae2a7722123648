namespace Heimdall.Host.Configuration;

/// <summary>
/// Every configuration key Heimdall reads (the keys of <c>config.example.yaml</c>, with <c>:</c> between
/// sections). Environment variables are matched against this list, because keys contain underscores:
/// <c>HEIMDALL_FANOUT_MAX_CONCURRENCY</c> is <c>fanout:max_concurrency</c>. Add a line per new key.
/// </summary>
internal static class ConfigurationKeys
{
    public const string DatabaseDriver = "database:driver";
    public const string DatabaseDsn = "database:dsn";
    public const string DatabasePollInterval = "database:poll_interval";
    public const string AdminGroup = "admin:group";
    public const string PoliciesDirectory = "policies:directory";

    public static List<string> Known { get; } =
    [
        DatabaseDriver,
        DatabaseDsn,
        DatabasePollInterval,
        AdminGroup,
        PoliciesDirectory,
        // Every other key of config.example.yaml (ConfigurationKeysTests keeps the two in step).
        "authz:cache:max_entries",
        "authz:cache:ttl",
        "bundle:allow_anonymous",
        "bundle:max_long_poll_wait",
        "bundle:token",
        "fanout:max_concurrency",
        "fanout:partial_response",
        "fanout:queue_timeout",
        "fanout:timeout",
        "federation:max_tenants",
        "federation:strategy",
        "jwt:algorithms",
        "jwt:audience",
        "jwt:cache_size",
        "jwt:clock_skew",
        "jwt:group_claims",
        "jwt:hmac_secret",
        "jwt:issuer",
        "jwt:jwks_file",
        "jwt:jwks_max_age",
        "jwt:jwks_min_refresh_interval",
        "jwt:jwks_refresh_interval",
        "jwt:jwks_url",
        "jwt:tenant_claims",
        "jwt:token_headers",
        "jwt:user_claims",
        "limits:max_body_bytes",
        "limits:max_form_fields",
        "mimir:auth:password",
        "mimir:auth:token",
        "mimir:auth:type",
        "mimir:auth:username",
        "mimir:ca_file",
        "mimir:compression",
        "mimir:insecure_skip_verify",
        "mimir:remote_write_url",
        "mimir:url",
        "opa:max_retries",
        "opa:timeout",
        "opa:url",
        "server:bundle:addr",
        "server:log_format",
        "server:log_level",
        "server:main:addr",
        "server:shutdown_timeout",
        "telemetry:tracing:auth:type",
        "telemetry:tracing:ca_file",
        "telemetry:tracing:enabled",
        "telemetry:tracing:endpoint",
        "telemetry:tracing:insecure_skip_verify",
        "telemetry:tracing:protocol",
        "telemetry:tracing:sample_ratio",
        "basic_auth:users_file",
        "static_identity:enabled",
        "static_identity:user",
        "static_identity:groups",
        "static_identity:tenants",
        "jwt:jwks",
        "jwt:audiences",
        "telemetry:tracing:auth:username",
        "telemetry:tracing:auth:password",
        "telemetry:tracing:auth:token",
        "telemetry:tracing:auth:header",
        "telemetry:tracing:auth:api_key",
        "telemetry:tracing:auth:cert_file",
        "telemetry:tracing:auth:key_file",
    ];
}
