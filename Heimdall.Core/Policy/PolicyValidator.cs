namespace Heimdall.Core.Policy;

/// <summary>
/// Validates tenants and policies (DESIGN §3) and reports every error at once, each naming the policy or
/// tenant and the field. Stores, the admin API, the CLI and the file source all validate with it.
/// </summary>
public static class PolicyValidator
{
    /// <summary>The longest policy name.</summary>
    public const int MaxNameLength = 253;

    /// <summary>The longest description.</summary>
    public const int MaxDescriptionLength = 4096;

    /// <summary>The longest tenant display name.</summary>
    public const int MaxTenantNameLength = 256;

    /// <summary>Validates one tenant.</summary>
    public static IReadOnlyList<PolicyValidationError> ValidateTenant(Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var errors = new List<PolicyValidationError>();
        ValidateTenant(tenant, tenant.Id ?? "", errors);
        return errors;
    }

    /// <summary>Validates one policy on its own (not whether its tenants exist).</summary>
    public static IReadOnlyList<PolicyValidationError> ValidatePolicy(AccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<PolicyValidationError>();
        ValidatePolicy(policy, string.IsNullOrEmpty(policy.Name) ? "#0" : policy.Name, errors);
        return errors;
    }

    /// <summary>
    /// Validates a whole set: every tenant and policy, unique IDs and names, and — when
    /// <paramref name="knownTenants"/> is given — that every tenant a policy names is in the set or known.
    /// </summary>
    public static IReadOnlyList<PolicyValidationError> ValidateDocument(PolicyDocument document, Func<string, bool>? knownTenants = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var errors = new List<PolicyValidationError>();
        var tenantIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Tenants.Count; i++)
        {
            var t = document.Tenants[i];
            var label = string.IsNullOrEmpty(t.Id) ? $"#{i}" : t.Id;
            ValidateTenant(t, label, errors);
            if (!string.IsNullOrEmpty(t.Id) && !tenantIds.Add(t.Id))
            {
                errors.Add(PolicyValidationError.ForTenant(label, "id", "duplicate tenant ID"));
            }
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Policies.Count; i++)
        {
            var p = document.Policies[i];
            var label = string.IsNullOrEmpty(p.Name) ? $"#{i}" : p.Name;
            ValidatePolicy(p, label, errors);
            if (!string.IsNullOrEmpty(p.Name) && !names.Add(p.Name))
            {
                errors.Add(PolicyValidationError.ForPolicy(label, "name", "duplicate policy name"));
            }
            if (knownTenants is not null)
            {
                CheckTenantsExist(p, label, t => tenantIds.Contains(t) || knownTenants(t), errors);
            }
        }
        return errors;
    }

    /// <summary>Adds an error for every tenant of <paramref name="policy"/> that <paramref name="exists"/> rejects.</summary>
    internal static void CheckTenantsExist(AccessPolicy policy, string label, Func<string, bool> exists, List<PolicyValidationError> errors)
    {
        var tenants = policy.Scope?.Tenants ?? [];
        for (var i = 0; i < tenants.Count; i++)
        {
            var t = tenants[i];
            if (t != "*" && TenantIdRules.IsValid(t) && !exists(t))
            {
                errors.Add(PolicyValidationError.ForPolicy(label, $"scope.tenants[{i}]",
                    $"tenant \"{t}\" does not exist; create it first or list it under \"tenants\""));
            }
        }
    }

    private static void ValidateTenant(Tenant tenant, string label, List<PolicyValidationError> errors)
    {
        if (TenantIdRules.Validate(tenant.Id) is { } idError)
        {
            errors.Add(PolicyValidationError.ForTenant(label, "id", idError));
        }
        if (tenant.Name is null)
        {
            errors.Add(PolicyValidationError.ForTenant(label, "name", "must be a string"));
        }
        else if (tenant.Name.Length > MaxTenantNameLength)
        {
            errors.Add(PolicyValidationError.ForTenant(label, "name", $"longer than {MaxTenantNameLength} characters"));
        }
        else if (tenant.Name.Any(char.IsControl))
        {
            errors.Add(PolicyValidationError.ForTenant(label, "name", "contains control characters"));
        }
    }

    private static void ValidatePolicy(AccessPolicy p, string label, List<PolicyValidationError> errors)
    {
        void Add(string field, string message) => errors.Add(PolicyValidationError.ForPolicy(label, field, message));

        if (NameError(p.Name) is { } nameError)
        {
            Add("name", nameError);
        }
        if (p.Description is { Length: > MaxDescriptionLength })
        {
            Add("description", $"longer than {MaxDescriptionLength} characters");
        }
        if (p.Effect is not (PolicyEffects.Allow or PolicyEffects.Deny))
        {
            Add("effect", $"must be \"allow\" or \"deny\", not {Quote(p.Effect)}");
        }

        var subjects = p.Subjects ?? [];
        if (subjects.Count == 0)
        {
            Add("subjects", "at least one subject is required");
        }
        for (var i = 0; i < subjects.Count; i++)
        {
            var s = subjects[i];
            if (s is null)
            {
                Add($"subjects[{i}]", "must be an object with \"type\" and \"id\"");
                continue;
            }
            if (s.Type is not (PolicySubjectTypes.User or PolicySubjectTypes.Group))
            {
                Add($"subjects[{i}].type", $"must be \"user\" or \"group\", not {Quote(s.Type)}");
            }
            if (string.IsNullOrWhiteSpace(s.Id))
            {
                Add($"subjects[{i}].id", "must not be empty");
            }
            else if (s.Id.Trim() != s.Id || s.Id.Any(char.IsControl))
            {
                Add($"subjects[{i}].id", "must not have surrounding whitespace or control characters");
            }
        }

        CheckList(p.Actions, "actions", a => a == PolicyActions.Any || PolicyActions.All.Contains(a)
            ? null
            : $"unknown action {Quote(a)}; expected one of {string.Join(", ", PolicyActions.All)} or \"*\"", Add);
        var scope = p.Scope ?? new PolicyScope();
        CheckList(scope.Tenants, "scope.tenants", t => t == "*" ? null : TenantIdRules.Validate(t), Add);
        CheckList(scope.Resources, "scope.resources", r => r is PolicyResources.Metrics or PolicyResources.Any
            ? null
            : $"unknown resource {Quote(r)}; expected \"metrics\" or \"*\" (others are reserved)", Add);

        var filters = p.Filters ?? [];
        if (p.Effect == PolicyEffects.Deny && filters.Count > 0)
        {
            Add("filters", "a deny policy cannot have filters (a deny refuses the whole tenant)");
        }
        for (var i = 0; i < filters.Count; i++)
        {
            if (filters[i] is null)
            {
                Add($"filters[{i}]", "must be a string");
            }
            else if (FilterSyntax.Validate(filters[i]) is { } filterError)
            {
                Add($"filters[{i}]", $"invalid label matcher {Quote(filters[i])}: {filterError}");
            }
        }
    }

    private static void CheckList(IReadOnlyList<string>? items, string field, Func<string, string?> check, Action<string, string> add)
    {
        if (items is null || items.Count == 0)
        {
            add(field, "at least one entry is required (\"*\" means any)");
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is null)
            {
                add($"{field}[{i}]", "must be a string");
            }
            else if (check(item) is { } error)
            {
                add($"{field}[{i}]", error);
            }
            else if (!seen.Add(item))
            {
                add($"{field}[{i}]", $"duplicate entry {Quote(item)}");
            }
        }
    }

    /// <summary>Null when <paramref name="name"/> is a valid policy name: 1–253 characters, no whitespace, control characters, '/', '?', '#' or '%'.</summary>
    public static string? NameError(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "must not be empty";
        }
        if (name.Length > MaxNameLength)
        {
            return $"longer than {MaxNameLength} characters";
        }
        foreach (var c in name)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '?' or '#' or '%' or '\\')
            {
                return $"contains '{(char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c)}'; names are used in URLs and may not contain whitespace, control characters, / ? # % or \\";
            }
        }
        return null;
    }

    private static string Quote(string? s) => s is null ? "null" : $"\"{s}\"";
}
