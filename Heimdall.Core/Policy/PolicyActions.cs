namespace Heimdall.Core.Policy;

/// <summary>The actions a policy may grant (DESIGN §3).</summary>
public static class PolicyActions
{
    /// <summary>Queries, series, labels, exemplars, metadata.</summary>
    public const string Read = "read";

    /// <summary>Remote-write push.</summary>
    public const string Write = "write";

    /// <summary>Reading recording and alerting rules.</summary>
    public const string RulesRead = "rules:read";

    /// <summary>Changing rules.</summary>
    public const string RulesWrite = "rules:write";

    /// <summary>Reading alerts.</summary>
    public const string AlertsRead = "alerts:read";

    /// <summary>Changing alerts (silences).</summary>
    public const string AlertsWrite = "alerts:write";

    /// <summary>Any action.</summary>
    public const string Any = "*";

    /// <summary>Every concrete action.</summary>
    public static IReadOnlyList<string> All { get; } = [Read, Write, RulesRead, RulesWrite, AlertsRead, AlertsWrite];
}

/// <summary>The resources a policy may name.</summary>
public static class PolicyResources
{
    /// <summary>Metric data.</summary>
    public const string Metrics = "metrics";

    /// <summary>Any resource.</summary>
    public const string Any = "*";
}
