namespace Heimdall.Core.Diagnostics;

/// <summary>Span names (DESIGN §8); stable, part of the contract with dashboards.</summary>
public static class SpanNames
{
    /// <summary>Token validation.</summary>
    public const string JwtValidate = "jwt.Validate";
    /// <summary>Deciding all tenants of a request.</summary>
    public const string EvaluateTenants = "fanout.EvaluateTenants";
    /// <summary>One OPA call.</summary>
    public const string OpaEvaluate = "opa.Evaluate";
    /// <summary>Rewriting a query.</summary>
    public const string RewriteQuery = "rewrite.Query";
    /// <summary>Sending the upstream requests of one client request.</summary>
    public const string Dispatch = "fanout.Dispatch";
    /// <summary>One upstream request.</summary>
    public const string DispatchSingle = "fanout.DispatchSingle";
    /// <summary>Filtering rules by grant.</summary>
    public const string FilterRules = "filter.Rules";
    /// <summary>Filtering alerts by grant.</summary>
    public const string FilterAlerts = "filter.Alerts";
    /// <summary>Prefix of store operations (<c>db.LoadSnapshot</c>, ...).</summary>
    public const string DbPrefix = "db.";
}
