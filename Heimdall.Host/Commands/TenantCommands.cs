using System.CommandLine;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;

namespace Heimdall.Host.Commands;

/// <summary><c>heimdall tenant create|list|delete</c>.</summary>
internal static class TenantCommands
{
    private static readonly string[] s_headers = ["ID", "NAME"];

    public static Command Create()
    {
        var tenant = new Command("tenant", "Manage tenants in the policy store.").WithStoreOptions();

        var id = new Argument<string>("ID") { Description = "Tenant ID (Mimir's rules: up to 150 bytes of a-z A-Z 0-9 ! - _ . * ' ( ))." };
        var name = new Argument<string>("NAME") { Description = "Display name." };
        var create = new Command("create", "Create a tenant.") { id, name };
        create.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            var t = new Tenant { Id = parseResult.GetValue(id)!, Name = parseResult.GetValue(name)! };
            await using var store = await CliContext.OpenStoreAsync(parseResult, ct);
            var result = await store.ApplyAsync([PolicyChange.CreateTenant(t)], ct);
            if (!result.Succeeded)
            {
                return CliContext.Refuse(parseResult, $"tenant not created ({result.Status})", result.Errors);
            }
            Write(parseResult, output, [t]);
            return 0;
        }));
        tenant.Subcommands.Add(create);

        var list = new Command("list", "List tenants.");
        list.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            await using var store = await CliContext.OpenStoreAsync(parseResult, ct);
            Write(parseResult, output, (await store.LoadSnapshotAsync(ct)).Tenants);
            return 0;
        }));
        tenant.Subcommands.Add(list);

        var deleteId = new Argument<string>("ID") { Description = "Tenant ID." };
        var delete = new Command("delete", "Delete a tenant (refused while policies name it).") { deleteId };
        delete.SetAction((parseResult, ct) => CliContext.RunAsync(parseResult, async output =>
        {
            await using var store = await CliContext.OpenStoreAsync(parseResult, ct);
            var result = await store.ApplyAsync([PolicyChange.DeleteTenant(parseResult.GetValue(deleteId)!)], ct);
            if (!result.Succeeded)
            {
                return CliContext.Refuse(parseResult, $"tenant not deleted ({result.Status})", result.Errors);
            }
            await output.WriteLineAsync($"deleted tenant {parseResult.GetValue(deleteId)} (revision {result.Revision})");
            return 0;
        }));
        tenant.Subcommands.Add(delete);
        return tenant;
    }

    private static void Write(ParseResult parseResult, TextWriter output, IReadOnlyList<Tenant> tenants) =>
        CliOutput.Write(output, parseResult.GetValue(CliContext.Output)!, tenants, s_headers, tenants.Select(t => new[] { t.Id, t.Name }));
}
