using System.Collections;
using Heimdall.Host.Configuration;

namespace Heimdall.Tests.Host.Configuration;

public sealed class HeimdallConfigurationTests
{
    [Fact]
    public void Layers_FileThenEnvironmentThenFlags()
    {
        var path = Path.Combine(Path.GetTempPath(), $"heimdall-config-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            database:
              driver: postgres
              dsn: Host=file
            fanout.max_concurrency: 8
            jwt:
              audiences: [a, b]
            """);
        try
        {
            var env = new Hashtable
            {
                ["HEIMDALL_DATABASE_DSN"] = "Host=env",
                ["HEIMDALL_FANOUT_MAX_CONCURRENCY"] = "16",
                ["HEIMDALL_ADMIN_GROUP"] = "admins",
                ["OTHER"] = "x",
            };
            var config = HeimdallConfiguration.Load(path, new Dictionary<string, string?> { ["database:driver"] = "sqlite", ["database:dsn"] = null }, env);

            Assert.Equal("sqlite", config["database:driver"]);
            Assert.Equal("Host=env", config["database:dsn"]);
            Assert.Equal("16", config["fanout:max_concurrency"]);
            Assert.Equal("admins", config["admin:group"]);
            Assert.Equal("b", config["jwt:audiences:1"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FailsClearly_OnMissingFileOrBadYaml()
    {
        Assert.Throws<FileNotFoundException>(() => HeimdallConfiguration.Load("/nonexistent/config.yaml", null, new Hashtable()));
        var path = Path.Combine(Path.GetTempPath(), $"heimdall-config-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "database: [unclosed");
        try
        {
            Assert.Contains("invalid YAML", Assert.Throws<FormatException>(() => HeimdallConfiguration.Load(path, null, new Hashtable())).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("1s", 1000)]
    [InlineData("2m", 120_000)]
    [InlineData("00:00:03", 3000)]
    public void ParsesDurations(string text, int ms) => Assert.Equal(TimeSpan.FromMilliseconds(ms), HeimdallConfiguration.ParseDuration(text, "k"));
}
