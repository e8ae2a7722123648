using System.Text;
using System.Text.Json;
using Heimdall.AspNetCore.Authentication;
using Heimdall.AspNetCore.Http;
using Heimdall.Core.Identity;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Heimdall.AspNetCore.Admin;

/// <summary>
/// The admin REST API under <c>/admin/v1/</c>: tenants and policies (list, get, create, replace, delete),
/// JSON in and out. Only authenticated callers in <see cref="HeimdallAdminOptions.Group"/> get in (401/403
/// otherwise). Writes are all-or-nothing; 400 lists every field error, 404 and 409 say which name.
/// Every written change is an audit event.
/// </summary>
internal static class AdminEndpoints
{
    /// <summary>The largest request body the admin API reads (a batch of policies).</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapHeimdallAdmin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin/v1");
        group.AddEndpointFilter(async (invocation, next) =>
            await AuthorizeAsync(invocation.HttpContext) ? await next(invocation) : Results.Empty);

        group.MapGet("/tenants", ListTenantsAsync);
        group.MapPost("/tenants", CreateTenantAsync);
        group.MapGet("/tenants/{id}", GetTenantAsync);
        group.MapPut("/tenants/{id}", ReplaceTenantAsync);
        group.MapDelete("/tenants/{id}", DeleteTenantAsync);

        group.MapGet("/policies", ListPoliciesAsync);
        group.MapPost("/policies", CreatePoliciesAsync);
        group.MapGet("/policies/{name}", GetPolicyAsync);
        group.MapPut("/policies/{name}", ReplacePolicyAsync);
        group.MapDelete("/policies/{name}", DeletePolicyAsync);
        return group;
    }

    private static async Task<bool> AuthorizeAsync(HttpContext context)
    {
        var auth = await HttpAuthentication.AuthenticateAsync(context);
        if (!auth.Succeeded)
        {
            await HttpAuthentication.ChallengeAsync(context, auth);
            return false;
        }
        var adminGroup = context.RequestServices.GetRequiredService<IOptions<HeimdallAdminOptions>>().Value.Group;
        if (string.IsNullOrEmpty(adminGroup) || !auth.Identity!.Groups.Contains(adminGroup, StringComparer.Ordinal))
        {
            await PrometheusError.WriteAsync(context, StatusCodes.Status403Forbidden,
                string.IsNullOrEmpty(adminGroup)
                    ? "the admin API is disabled: no admin group is configured (admin.group)"
                    : $"the admin API requires membership in the group \"{adminGroup}\"");
            return false;
        }
        return true;
    }

    private static IPolicyStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IPolicyStore>();

    private static async Task ListTenantsAsync(HttpContext context)
    {
        var snapshot = await Store(context).LoadSnapshotAsync(context.RequestAborted);
        await AdminResponses.WriteDataAsync(context, StatusCodes.Status200OK, snapshot.Tenants, snapshot.Revision);
    }

    private static async Task GetTenantAsync(HttpContext context, string id)
    {
        if (await Store(context).GetTenantAsync(id, context.RequestAborted) is { } tenant)
        {
            await AdminResponses.WriteDataAsync(context, StatusCodes.Status200OK, tenant);
            return;
        }
        await AdminResponses.WriteErrorsAsync(context, StatusCodes.Status404NotFound, "not found",
            [PolicyValidationError.ForTenant(id, "id", "no tenant with this ID")]);
    }

    private static async Task CreateTenantAsync(HttpContext context)
    {
        if (await ReadTenantAsync(context, null) is { } tenant)
        {
            await WriteAsync(context, "create", StatusCodes.Status201Created, [PolicyChange.CreateTenant(tenant)], tenant);
        }
    }

    private static async Task ReplaceTenantAsync(HttpContext context, string id)
    {
        if (await ReadTenantAsync(context, id) is { } tenant)
        {
            await WriteAsync(context, "replace", StatusCodes.Status200OK, [PolicyChange.ReplaceTenant(tenant)], tenant);
        }
    }

    private static Task DeleteTenantAsync(HttpContext context, string id) =>
        WriteAsync(context, "delete", StatusCodes.Status200OK, [PolicyChange.DeleteTenant(id)], null);

    private static async Task ListPoliciesAsync(HttpContext context)
    {
        var snapshot = await Store(context).LoadSnapshotAsync(context.RequestAborted);
        IEnumerable<AccessPolicy> policies = snapshot.Policies;
        if (context.Request.Query.TryGetValue("tenant", out var tenant) && tenant.Count == 1)
        {
            policies = policies.Where(p => p.Scope.Tenants.Contains(tenant[0]!) || p.Scope.Tenants.Contains("*"));
        }
        await AdminResponses.WriteDataAsync(context, StatusCodes.Status200OK, policies, snapshot.Revision);
    }

    private static async Task GetPolicyAsync(HttpContext context, string name)
    {
        if (await Store(context).GetPolicyAsync(name, context.RequestAborted) is { } policy)
        {
            await AdminResponses.WriteDataAsync(context, StatusCodes.Status200OK, policy);
            return;
        }
        await AdminResponses.WriteErrorsAsync(context, StatusCodes.Status404NotFound, "not found",
            [PolicyValidationError.ForPolicy(name, "name", "no policy with this name")]);
    }

    /// <summary>One policy, an array, or <c>{"tenants", "policies"}</c> (tenants are added or replaced); all or nothing.</summary>
    private static async Task CreatePoliciesAsync(HttpContext context)
    {
        if (await ReadDocumentAsync(context) is not { } doc)
        {
            return;
        }
        var changes = doc.Tenants.Select(PolicyChange.UpsertTenant).Concat(doc.Policies.Select(PolicyChange.CreatePolicy)).ToList();
        await WriteAsync(context, "create", StatusCodes.Status201Created, changes, doc.Policies);
    }

    private static async Task ReplacePolicyAsync(HttpContext context, string name)
    {
        if (await ReadDocumentAsync(context) is not { } doc)
        {
            return;
        }
        if (doc.Tenants.Count > 0 || doc.Policies.Count != 1 || doc.Policies[0].Name != name)
        {
            await AdminResponses.WriteErrorsAsync(context, StatusCodes.Status400BadRequest, "invalid input",
                [PolicyValidationError.ForPolicy(name, "name", "the body must be one policy whose name is the one in the URL")]);
            return;
        }
        await WriteAsync(context, "replace", StatusCodes.Status200OK, [PolicyChange.ReplacePolicy(doc.Policies[0])], doc.Policies[0]);
    }

    private static Task DeletePolicyAsync(HttpContext context, string name) =>
        WriteAsync(context, "delete", StatusCodes.Status200OK, [PolicyChange.DeletePolicy(name)], null);

    private static async Task WriteAsync(HttpContext context, string operation, int successStatus, IReadOnlyList<PolicyChange> changes, object? data)
    {
        var result = await Store(context).ApplyAsync(changes, context.RequestAborted);
        if (!result.Succeeded)
        {
            await AdminResponses.WriteRefusalAsync(context, result);
            return;
        }
        var caller = HttpAuthentication.GetCaller(context) ?? new CallerIdentity { User = "unknown" };
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(AdminAudit.Category);
        AdminAudit.Record(logger, caller, operation, result);
        await AdminResponses.WriteDataAsync(context, successStatus, data ?? new { revision = result.Revision }, result.Revision);
    }

    private static async Task<string?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await PrometheusError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes");
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + n > MaxBodyBytes)
            {
                await PrometheusError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes");
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            await PrometheusError.WriteAsync(context, StatusCodes.Status400BadRequest, "the body is not valid UTF-8");
            return null;
        }
    }

    private static async Task<PolicyDocument?> ReadDocumentAsync(HttpContext context)
    {
        if (await ReadBodyAsync(context) is not { } body)
        {
            return null;
        }
        var (doc, readErrors) = PolicyDocumentReader.Read(body);
        IReadOnlyList<PolicyValidationError> errors = doc is null ? readErrors : [.. readErrors, .. PolicyValidator.ValidateDocument(doc)];
        if (errors.Count > 0)
        {
            await AdminResponses.WriteErrorsAsync(context, StatusCodes.Status400BadRequest, "invalid input", errors);
            return null;
        }
        return doc;
    }

    /// <summary>Reads <c>{"id","name"}</c>; with <paramref name="pathId"/>, the id may be omitted but must match when given.</summary>
    private static async Task<Tenant?> ReadTenantAsync(HttpContext context, string? pathId)
    {
        if (await ReadBodyAsync(context) is not { } body)
        {
            return null;
        }
        var label = pathId ?? "#0";
        var errors = new List<PolicyValidationError>();
        string? id = pathId, name = "";
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(PolicyValidationError.ForTenant(label, "", "the body must be an object {\"id\", \"name\"}"));
            }
            else
            {
                foreach (var prop in json.RootElement.EnumerateObject())
                {
                    var value = prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString() : null;
                    switch (prop.Name)
                    {
                        case "id" when value is null:
                            errors.Add(PolicyValidationError.ForTenant(label, "id", "must be a string"));
                            break;
                        case "id" when pathId is not null && value != pathId:
                            errors.Add(PolicyValidationError.ForTenant(label, "id", $"\"{value}\" differs from the ID in the URL"));
                            break;
                        case "id":
                            id = value;
                            break;
                        case "name" when value is null:
                            errors.Add(PolicyValidationError.ForTenant(label, "name", "must be a string"));
                            break;
                        case "name":
                            name = value;
                            break;
                        default:
                            errors.Add(PolicyValidationError.ForTenant(label, prop.Name, "unknown field; a tenant has \"id\" and \"name\""));
                            break;
                    }
                }
            }
        }
        catch (JsonException e)
        {
            errors.Add(PolicyValidationError.ForTenant(label, "", "invalid JSON: " + e.Message));
        }
        if (id is null && errors.Count == 0)
        {
            errors.Add(PolicyValidationError.ForTenant(label, "id", "is required"));
        }
        var tenant = new Tenant { Id = id ?? "", Name = name ?? "" };
        if (errors.Count == 0)
        {
            errors.AddRange(PolicyValidator.ValidateTenant(tenant));
        }
        if (errors.Count > 0)
        {
            await AdminResponses.WriteErrorsAsync(context, StatusCodes.Status400BadRequest, "invalid input", errors);
            return null;
        }
        return tenant;
    }
}
