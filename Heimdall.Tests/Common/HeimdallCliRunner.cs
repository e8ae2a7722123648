namespace Heimdall.Tests.Common;

/// <summary>Runs the built <c>heimdall</c> executable (the Host project's output, copied next to the tests).</summary>
internal static class HeimdallCliRunner
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "heimdall.dll");

    public static Task<ProcessRunner.Result> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null,
        IDictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync("dotnet", [DllPath, .. args], stdin: stdin, timeout: timeout, environment: environment);
}
