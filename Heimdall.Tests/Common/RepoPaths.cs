namespace Heimdall.Tests.Common;

/// <summary>Locates the repository checkout the tests run from.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Heimdall.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Heimdall.slnx not found above " + AppContext.BaseDirectory);
    });

    public static string Root => s_root.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
