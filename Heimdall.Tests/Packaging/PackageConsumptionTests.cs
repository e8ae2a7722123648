using System.IO.Compression;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Packaging;

/// <summary>
/// Packs Heimdall.Core and Heimdall.AspNetCore into a local folder feed and builds a throwaway app that
/// references Heimdall.AspNetCore from that feed, as a user's `dotnet add package` would.
/// </summary>
public sealed class PackageConsumptionTests
{
    [Fact]
    public async Task ThrowawayApp_BuildsAgainstPackedAspNetCorePackage()
    {
        var work = Directory.CreateTempSubdirectory("heimdall-pack-");
        try
        {
            var feed = Directory.CreateDirectory(Path.Combine(work.FullName, "feed")).FullName;
            var version = "0.0.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
            foreach (var project in new[] { "Heimdall.Core", "Heimdall.AspNetCore" })
            {
                var pack = await ProcessRunner.RunAsync("dotnet",
                    ["pack", RepoPaths.Combine(project, project + ".csproj"), "-c", "Release", "-o", feed,
                     "-p:Version=" + version, "-p:IncludeSymbols=false"],
                    timeout: TimeSpan.FromMinutes(5));
                Assert.True(pack.ExitCode == 0, pack.StdOut + pack.StdErr);
            }

            var nupkg = Path.Combine(feed, $"Heimdall.AspNetCore.{version}.nupkg");
            Assert.True(File.Exists(nupkg), "missing " + nupkg);
            using (var zip = ZipFile.OpenRead(nupkg))
            {
                Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/Heimdall.AspNetCore.xml");
                Assert.Contains(zip.Entries, e => e.FullName == "README.md");
            }
            using (var zip = ZipFile.OpenRead(Path.Combine(feed, $"Heimdall.Core.{version}.nupkg")))
            {
                Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/Heimdall.Core.xml");
            }

            var app = Directory.CreateDirectory(Path.Combine(work.FullName, "app")).FullName;
            await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Heimdall.AspNetCore" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddHeimdall(builder.Configuration.GetSection("Heimdall"));
                var app = builder.Build();
                app.MapHeimdall();
                Console.WriteLine(typeof(Heimdall.Core.Policy.AccessPolicy).Assembly.GetName().Name);
                """);
            // Isolate the app from the repository's Directory.*.props and global.json.
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "Directory.Build.props"), "<Project />");
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "Directory.Packages.props"), "<Project />");

            var build = await ProcessRunner.RunAsync("dotnet", ["build", app, "-c", "Release"], workingDirectory: app,
                timeout: TimeSpan.FromMinutes(5));
            Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
            Assert.Contains("0 Warning(s)", build.StdOut);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
