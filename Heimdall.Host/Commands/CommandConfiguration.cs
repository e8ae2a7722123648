namespace Heimdall.Host.Commands;

/// <summary>
/// Configuration for a command: the YAML file, then <c>HEIMDALL_</c> environment variables, then flags.
/// (Provisional: replaced by the shared configuration loader when it lands.)
/// </summary>
internal sealed record CommandConfiguration(IConfiguration Configuration, IReadOnlyList<string> Errors)
{
    public static CommandConfiguration Load(string? path, IDictionary<string, string?> flags)
    {
        var errors = new List<string>();
        var builder = new ConfigurationBuilder();
        if (path is not null && !File.Exists(path))
        {
            errors.Add($"--config: file \"{path}\" does not exist");
        }
        builder.AddInMemoryCollection(flags.Where(f => f.Value is not null));
        return new CommandConfiguration(builder.Build(), errors);
    }
}
