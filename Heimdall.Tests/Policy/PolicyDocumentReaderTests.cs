using Heimdall.Core.Policy;

namespace Heimdall.Tests.Policy;

public sealed class PolicyDocumentReaderTests
{
    private const string Readme = """
        {"name": "allow-alice-read-acme", "effect": "allow",
         "subjects": [{"type": "user", "id": "alice@acme.com"}, {"type": "group", "id": "sre"}],
         "actions": ["read"], "scope": {"tenants": ["acme"], "resources": ["metrics"]},
         "filters": ["env=\"prod\"", "team=~\"a|b\""]}
        """;

    private static PolicyDocument ReadValid(string text)
    {
        var (doc, errors) = PolicyDocumentReader.Read(text);
        Assert.Empty(errors);
        Assert.Empty(PolicyValidator.ValidateDocument(doc!));
        return doc!;
    }

    [Fact]
    public void Reads_TheReadmePolicy_AsOnePolicy()
    {
        var policy = Assert.Single(ReadValid(Readme).Policies);
        Assert.Equal("allow-alice-read-acme", policy.Name);
        Assert.Equal(["env=\"prod\"", "team=~\"a|b\""], policy.Filters);
        Assert.Equal("group", policy.Subjects[1].Type);
    }

    [Fact]
    public void Reads_AnArray_AndAnObjectWithTenantsAndPolicies()
    {
        Assert.Single(ReadValid("[" + Readme + "]").Policies);
        var withTenants = ReadValid("""{"tenants": [{"id": "acme", "name": "Acme"}, "globex"], "policies": [""" + Readme + "]}");
        Assert.Equal(["acme", "globex"], withTenants.Tenants.Select(t => t.Id));
        Assert.Equal("Acme", withTenants.Tenants[0].Name);
        var tenantMap = ReadValid("""{"tenants": {"acme": {"name": "Acme"}, "globex": "Globex"}, "policies": []}""");
        Assert.Equal([("acme", "Acme"), ("globex", "Globex")], tenantMap.Tenants.Select(t => (t.Id, t.Name)));
    }

    [Fact]
    public void Reads_Yaml_LikeJson()
    {
        var yaml = """
            tenants:
              - id: acme
                name: Acme
            policies:
              - name: allow-alice-read-acme
                effect: allow
                subjects:
                  - {type: user, id: alice@acme.com}
                  - {type: group, id: sre}
                actions: [read]
                scope: {tenants: [acme], resources: [metrics]}
                filters:
                  - env="prod"
                  - 'team=~"a|b"'
            """;
        var doc = ReadValid(yaml);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(ReadValid(Readme).Policies[0]), System.Text.Json.JsonSerializer.Serialize(doc.Policies[0]));
    }

    [Theory]
    [InlineData("""{"name":"p","effect":"allow","filter":["env=\"x\""]}""", "p", "filter")]
    [InlineData("""{"name":"p","effect":"allow","scope":{"tenant":["a"]}}""", "p", "scope.tenant")]
    [InlineData("""{"name":"p","effect":"allow","actions":"read"}""", "p", "actions")]
    [InlineData("""{"name":"p","effect":"allow","subjects":[{"type":"user"}]}""", "p", "subjects[0].id")]
    [InlineData("""{"effect":"allow"}""", "#0", "name")]
    [InlineData("""[{"name":"a","effect":"allow"},{"name":"b","effect":7}]""", "b", "effect")]
    public void ReportsShapeErrors_WithPolicyAndField(string text, string policy, string field)
    {
        var (_, errors) = PolicyDocumentReader.Read(text);
        Assert.Contains(errors, e => e.Policy == policy && e.Field == field);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("""{"name":"a","name":"b","effect":"allow"}""")]
    [InlineData("name: [unclosed")]
    [InlineData("   ")]
    [InlineData("42")]
    public void Rejects_MalformedInput(string text)
    {
        var (doc, errors) = PolicyDocumentReader.Read(text);
        Assert.NotEmpty(errors);
        Assert.True(doc is null || errors.Count > 0);
    }
}
