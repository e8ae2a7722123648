namespace Heimdall.Core.Federation;

/// <summary>
/// Parses and formats the <c>X-Scope-OrgID</c> header (<c>a|b|c</c>), the way Mimir reads it, but refusing
/// anything ambiguous (a repeated header, a comma-joined value, an empty element) instead of guessing.
/// </summary>
public static class TenantHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "X-Scope-OrgID";

    /// <summary>The separator of federated tenants.</summary>
    public const char Separator = '|';

    /// <summary>
    /// Parses the header's values (as received, one entry per header line). Returns the tenants in order of
    /// first appearance, deduplicated, or an error. No values at all is <see cref="TenantHeaderResult.Absent"/>.
    /// </summary>
    /// <param name="values">Every value of the header in the request.</param>
    /// <param name="maxTenants">The most distinct tenants allowed; 0 or less means no limit.</param>
    public static TenantHeaderResult Parse(IReadOnlyList<string?> values, int maxTenants = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return TenantHeaderResult.Absent;
        }
        if (values.Count > 1)
        {
            return TenantHeaderResult.Invalid($"the {Name} header is given {values.Count} times; give it once, with tenants separated by '|'");
        }
        var value = values[0] ?? "";
        if (value.Length == 0)
        {
            return TenantHeaderResult.Invalid($"the {Name} header is empty");
        }
        if (value.Contains(','))
        {
            // A comma is how proxies join repeated headers; never a tenant character.
            return TenantHeaderResult.Invalid($"the {Name} header contains ','; separate tenants with '|'");
        }

        var tenants = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var range in value.AsSpan().Split(Separator))
        {
            var id = value[range];
            if (Heimdall.Core.Policy.TenantIdRules.Validate(id) is { } error)
            {
                return TenantHeaderResult.Invalid(id.Length == 0
                    ? $"the {Name} header has an empty tenant ID"
                    : $"invalid tenant in {Name}: {error}");
            }
            if (seen.Add(id))
            {
                tenants.Add(id);
                if (maxTenants > 0 && tenants.Count > maxTenants)
                {
                    return TenantHeaderResult.TooMany(maxTenants);
                }
            }
        }
        return TenantHeaderResult.Success(tenants);
    }

    /// <summary>Formats tenants as the header value Mimir federates over (<c>a|b</c>).</summary>
    public static string Format(IEnumerable<string> tenants) => string.Join(Separator, tenants);
}
