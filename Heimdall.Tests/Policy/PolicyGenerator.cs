using Heimdall.Core.Policy;

namespace Heimdall.Tests.Policy;

/// <summary>
/// Random but reproducible policy sets and requests over small pools, so that wildcards, overlaps, duplicate and
/// prefix alternatives, unknown tenants, odd effects and non-ASCII matchers (whose order differs between UTF-16
/// and UTF-8) all occur often.
/// </summary>
internal sealed class PolicyGenerator(int seed)
{
    private static readonly string[] s_tenants = ["acme", "globex", "initech", "umbrella", "*"];
    private static readonly string[] s_users = ["alice", "bob", "carol", "*"];
    private static readonly string[] s_groups = ["sre", "dev", "ops", "*"];
    private static readonly string[] s_actions = ["read", "write", "rules:read", "alerts:write", "*"];
    private static readonly string[] s_resources = ["metrics", "logs", "*"];
    private static readonly string[] s_filters =
    [
        "env=\"prod\"", "env=\"dev\"", "team=~\"a|b\"", "__name__!~\"secret_.*\"", "job!=\"x\"", "a=\"é\"",
        "a=\"\uFF21\"", "a=\"\U0001F600\"", "region=\"eu\"",
    ];

    private readonly Random _random = new(seed);

    public PolicySnapshot NextSnapshot(long revision)
    {
        var tenants = s_tenants.Take(4).Where(_ => _random.Next(5) != 0)
            .Select(id => new Tenant { Id = id, Name = id.ToUpperInvariant() }).ToArray();
        var count = _random.Next(0, 12);
        var policies = new List<AccessPolicy>();
        for (var i = 0; i < count; i++)
        {
            var deny = _random.Next(6) == 0;
            policies.Add(new AccessPolicy
            {
                Name = $"p{i:D2}",
                Effect = _random.Next(40) == 0 ? "Allow" : deny ? "deny" : "allow",
                Subjects = Some(() => _random.Next(2) == 0
                    ? new PolicySubject { Type = "user", Id = Pick(s_users) }
                    : new PolicySubject { Type = _random.Next(30) == 0 ? "role" : "group", Id = Pick(s_groups) }, 0, 3),
                Actions = Some(() => Pick(s_actions), 0, 2),
                Scope = new PolicyScope { Tenants = Some(() => Pick(s_tenants), 0, 3), Resources = Some(() => Pick(s_resources), 0, 2) },
                Filters = deny ? [] : Some(() => Pick(s_filters), 0, 3),
            });
        }
        return new PolicySnapshot { Revision = revision, Tenants = tenants, Policies = policies };
    }

    public AuthorizationRequest NextRequest() => new()
    {
        User = Pick(s_users.Take(3).Append("dave").ToArray()),
        Groups = Some(() => Pick(s_groups.Take(3).Append("qa").ToArray()), 0, 3).Distinct().ToArray(),
        Tenants = Some(() => Pick(["acme", "globex", "initech", "umbrella", "nosuch"]), 0, 4).Distinct().ToArray(),
        Action = Pick(s_actions.Take(4).ToArray()),
        Resource = _random.Next(5) == 0 ? "logs" : "metrics",
    };

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];

    private T[] Some<T>(Func<T> next, int min, int max)
    {
        var n = _random.Next(min, max + 1);
        var values = new T[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = next();
        }
        return values;
    }
}
