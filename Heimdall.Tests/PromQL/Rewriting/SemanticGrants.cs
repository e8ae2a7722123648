using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Tests.PromQL.Rewriting;

/// <summary>
/// The grants of the semantic tests, each with an independent C# oracle of which series it permits (not
/// <see cref="Grant.Matches"/>, so a bug there cannot hide a bug in the rewriter).
/// </summary>
internal static class SemanticGrants
{
    public sealed record Case(string Name, Grant Grant, Func<IReadOnlyDictionary<string, string>, bool> Permits);

    private static string L(IReadOnlyDictionary<string, string> labels, string name) => labels.TryGetValue(name, out var v) ? v : "";

    public static IReadOnlyList<Case> All { get; } =
    [
        new("single", Grant.Parse([["env=\"prod\""]]), l => L(l, "env") == "prod"),
        new("merged", Grant.Parse([["team=\"a.b\""], ["team=\"c|d\""], ["team=\"alpha\""]]),
            l => L(l, "team") is "a.b" or "c|d" or "alpha"),
        new("expanded", Grant.Parse([["env=\"prod\"", "tier!=\"free\""], ["team=\"beta\""]]),
            l => (L(l, "env") == "prod" && L(l, "tier") != "free") || L(l, "team") == "beta"),
        new("metric-name", Grant.Parse([["__name__=~\"http_.*|up|memory_limit_bytes\"", "env!=\"dev\""]]),
            l => L(l, "__name__") is "http_requests_total" or "up" or "memory_limit_bytes" && L(l, "env") != "dev"),
        new("name-alternatives", Grant.Parse([["__name__=\"memory_usage_bytes\""], ["__name__=\"memory_limit_bytes\"", "team=\"beta\""], ["env=\"staging\"", "team=\"c\""]]),
            l => L(l, "__name__") == "memory_usage_bytes" || (L(l, "__name__") == "memory_limit_bytes" && L(l, "team") == "beta") ||
                 (L(l, "env") == "staging" && L(l, "team") == "c")),
        new("federated", FederatedGrant.Qualify(new Dictionary<string, Grant>
            {
                ["acme"] = Grant.Parse([["env=\"prod\""]]),
                ["globex"] = Grant.Parse([["team=~\"alpha|beta\""], ["tier=\"paid\""]]),
            }),
            l => (L(l, "__tenant_id__") == "acme" && L(l, "env") == "prod") ||
                 (L(l, "__tenant_id__") == "globex" && (L(l, "team") is "alpha" or "beta" || L(l, "tier") == "paid"))),
    ];

    public static Case Get(string name) => All.Single(c => c.Name == name);
}
