using System.CommandLine;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;

namespace Heimdall.Host.Commands;

/// <summary><c>heimdall policy create|list|get|delete|validate|export|import</c>.</summary>
internal static class PolicyCommands
{
    private static readonly string[] s_headers = ["NAME", "EFFECT", "SUBJECTS", "ACTIONS", "TENANTS", "RESOURCES", "FILTERS"];

    public static Command Create()
    {
        var policy = new Command("policy", "Manage access policies in the policy store.").WithStoreOptions();

        var createFile = FileArgument();
        var create = new Command("create", "Create policies from a JSON or YAML file (one policy, an array, or {tenants, policies}); all or nothing.") { createFile };
        create.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            if (await ReadValidAsync(parseResult, parseResult.GetValue(createFile)!, ct) is not { } doc)
            {
                return 1;
            }
            await using var store = await CliContext.OpenStoreAsync(parseResult, ct);
            var changes = doc.Tenants.Select(PolicyChange.UpsertTenant).Concat(doc.Policies.Select(PolicyChange.CreatePolicy)).ToList();
            var result = await store.ApplyAsync(changes, ct);
            if (!result.Succeeded)
            {
                return CliContext.Refuse(parseResult, $"policies not created ({result.Status})", result.Errors);
            }
            WritePolicies(parseResult, output, doc.Policies);
            return 0;
        }));
        policy.Subcommands.Add(create);

        var tenantFilter = new Option<string?>("--tenant") { Description = "Only policies that apply to this tenant (naming it or \"*\")." };
        var list = new Command("list", "List policies.") { tenantFilter };
        list.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            await using var store = await CliContext.OpenStoreAsync(parseResult, ct);
            var policies = (await store.LoadSnapshotAsync(ct)).Policies;
            if (parseResult.GetValue(tenantFilter) is { } t)
            {
                policies = policies.Where(p => p.Scope.Tenants.Contains(t) || p.Scope.Tenants.Contains("*")).ToList();
            }
            WritePolicies(parseResult, output, policies);
            return 0;
        }));
        policy.Subcommands.Add(list);

        var getName = new Argument<string>("NAME") { Description = "Policy name." };
        var get = new Command("get", "Show one policy.") { getName };
        get.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            await using var store = await CliContext.OpenStoreAsync(parseResult, ct);
            var p = await store.GetPolicyAsync(parseResult.GetValue(getName)!, ct);
            if (p is null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"error: no policy named \"{parseResult.GetValue(getName)}\"");
                return 1;
            }
            CliOutput.Write(output, parseResult.GetValue(CliContext.Output)!, p, s_headers, [Row(p)]);
            return 0;
        }));
        policy.Subcommands.Add(get);

        var deleteName = new Argument<string>("NAME") { Description = "Policy name." };
        var delete = new Command("delete", "Delete a policy.") { deleteName };
        delete.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            await using var store = await CliContext.OpenStoreAsync(parseResult, ct);
            var result = await store.ApplyAsync([PolicyChange.DeletePolicy(parseResult.GetValue(deleteName)!)], ct);
            if (!result.Succeeded)
            {
                return CliContext.Refuse(parseResult, $"policy not deleted ({result.Status})", result.Errors);
            }
            await output.WriteLineAsync($"deleted policy {parseResult.GetValue(deleteName)} (revision {result.Revision})");
            return 0;
        }));
        policy.Subcommands.Add(delete);

        var validateFile = FileArgument();
        var validate = new Command("validate", "Check a policy file without a store: syntax, fields, filters, duplicates.") { validateFile };
        validate.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            if (await ReadValidAsync(parseResult, parseResult.GetValue(validateFile)!, ct, writing: false) is not { } doc)
            {
                return 1;
            }
            await output.WriteLineAsync($"valid: {doc.Policies.Count} policies, {doc.Tenants.Count} tenants");
            return 0;
        }));
        policy.Subcommands.Add(validate);

        var export = new Command("export", "Write every tenant and policy as one document ({tenants, policies}; JSON unless --output yaml).");
        export.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            await using var store = await CliContext.OpenStoreAsync(parseResult, ct);
            var snapshot = await store.LoadSnapshotAsync(ct);
            var format = parseResult.GetValue(CliContext.Output) == "yaml" ? "yaml" : "json";
            CliOutput.Write(output, format, new { tenants = snapshot.Tenants, policies = snapshot.Policies }, [], []);
            return 0;
        }));
        policy.Subcommands.Add(export);

        var importFile = FileArgument();
        var merge = new Option<bool>("--merge") { Description = "Add and replace the document's tenants and policies, keeping others (default: the store becomes exactly the document)." };
        var import = new Command("import", "Load a document written by export (GitOps); all or nothing.") { importFile, merge };
        import.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            if (await ReadValidAsync(parseResult, parseResult.GetValue(importFile)!, ct) is not { } doc)
            {
                return 1;
            }
            await using var store = await CliContext.OpenStoreAsync(parseResult, ct);
            IReadOnlyList<PolicyChange> changes = parseResult.GetValue(merge)
                ? [.. doc.Tenants.Select(PolicyChange.UpsertTenant), .. doc.Policies.Select(PolicyChange.UpsertPolicy)]
                : [PolicyChange.ReplaceAll(doc)];
            var result = await store.ApplyAsync(changes, ct);
            if (!result.Succeeded)
            {
                return CliContext.Refuse(parseResult, $"import refused ({result.Status})", result.Errors);
            }
            await output.WriteLineAsync($"imported {doc.Tenants.Count} tenants and {doc.Policies.Count} policies (revision {result.Revision})");
            return 0;
        }));
        policy.Subcommands.Add(import);
        return policy;
    }

    private static Argument<string> FileArgument() => new("FILE") { Description = "A JSON or YAML file, or - for standard input." };

    /// <summary>Reads and validates a document; on errors writes them all and returns null.</summary>
    private static async Task<PolicyDocument?> ReadValidAsync(ParseResult parseResult, string path, CancellationToken ct, bool writing = true)
    {
        var (doc, readErrors) = PolicyDocumentReader.Read(await CliContext.ReadInputAsync(path, ct));
        var errors = doc is null ? readErrors : [.. readErrors, .. PolicyValidator.ValidateDocument(doc)];
        if (errors.Count > 0)
        {
            CliContext.Refuse(parseResult, $"{path}: {errors.Count} validation error{(errors.Count == 1 ? "" : "s")}", errors, writing);
            return null;
        }
        return doc;
    }

    private static void WritePolicies(ParseResult parseResult, TextWriter output, IReadOnlyList<AccessPolicy> policies) =>
        CliOutput.Write(output, parseResult.GetValue(CliContext.Output)!, policies, s_headers, policies.Select(Row));

    private static string[] Row(AccessPolicy p) =>
    [
        p.Name,
        p.Effect,
        string.Join(",", p.Subjects.Select(s => $"{s.Type}:{s.Id}")),
        string.Join(",", p.Actions),
        string.Join(",", p.Scope.Tenants),
        string.Join(",", p.Scope.Resources),
        string.Join(",", p.Filters),
    ];
}
