using System.Text.Json;

namespace Heimdall.Core.Identity.Jwt;

/// <summary>Maps a validated token's claims to user, groups and tenants (as configured in <see cref="JwtOptions"/>).</summary>
internal sealed class ClaimMapper(JwtOptions options)
{
    /// <summary>
    /// Builds the identity from the token payload; returns null and a refusal reason when the claims do not fit
    /// (no user claim, duplicate claims, groups or tenants of the wrong JSON type).
    /// </summary>
    public CallerIdentity? Map(JsonElement payload, DateTimeOffset? expiresAt, out string? failure)
    {
        failure = null;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            failure = "malformed token";
            return null;
        }
        var claims = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in payload.EnumerateObject())
        {
            if (!claims.TryAdd(property.Name, property.Value))
            {
                failure = "token has duplicate claims";
                return null;
            }
        }

        string? user = null;
        foreach (var name in options.UserClaims)
        {
            if (Resolve(claims, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } s)
            {
                user = s;
                break;
            }
        }
        if (user is null)
        {
            failure = $"token has no user claim ({string.Join(", ", options.UserClaims)})";
            return null;
        }

        var groups = new List<string>();
        foreach (var name in options.GroupClaims)
        {
            if (Resolve(claims, name) is { } value && !AddStrings(value, groups))
            {
                failure = $"claim {name} is not a string or an array of strings";
                return null;
            }
        }

        List<string>? tenants = null;
        foreach (var name in options.TenantClaims)
        {
            if (Resolve(claims, name) is { } value)
            {
                tenants ??= [];
                if (!AddStrings(value, tenants))
                {
                    failure = $"claim {name} is not a string or an array of strings";
                    return null;
                }
            }
        }

        return new CallerIdentity
        {
            User = user,
            Groups = Distinct(groups),
            Tenants = tenants is null ? null : Distinct(tenants),
            Claims = claims,
            Method = "jwt",
            ExpiresAt = expiresAt,
        };
    }

    /// <summary>A claim by exact name, else by dotted path through nested objects (<c>realm_access.roles</c>).</summary>
    internal static JsonElement? Resolve(Dictionary<string, JsonElement> claims, string name)
    {
        if (claims.TryGetValue(name, out var direct))
        {
            return direct.ValueKind == JsonValueKind.Null ? null : direct;
        }
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !claims.TryGetValue(name[..dot], out var current))
        {
            return null;
        }
        foreach (var part in name[(dot + 1)..].Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }
        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    private static bool AddStrings(JsonElement value, List<string> into)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                if (value.GetString() is { Length: > 0 } s)
                {
                    into.Add(s);
                }
                return true;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return false;
                    }
                    if (item.GetString() is { Length: > 0 } v)
                    {
                        into.Add(v);
                    }
                }
                return true;
            default:
                return false;
        }
    }

    private static string[] Distinct(List<string> values) => [.. values.Distinct(StringComparer.Ordinal)];
}
