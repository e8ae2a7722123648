using System.Text.Json;
using Heimdall.Core.Identity;
using Heimdall.Core.Identity.Jwt;

namespace Heimdall.Tests.Identity.Jwt;

public sealed class ClaimMapperTests
{
    private static readonly JwtOptions s_options = new()
    {
        InlineJwks = "{\"keys\":[]}",
        UserClaims = ["sub", "email", "preferred_username"],
        GroupClaims = ["groups", "realm_access.roles", "https://example.com/roles"],
        TenantClaims = ["tenant_id", "namespaces"],
    };

    [Theory]
    [InlineData("""{"sub":"alice"}""", "alice", "", null)]
    [InlineData("""{"email":"bob@acme.com","preferred_username":"bob"}""", "bob@acme.com", "", null)]
    [InlineData("""{"sub":"","preferred_username":"carol"}""", "carol", "", null)]
    [InlineData("""{"sub":42,"email":"dan@acme.com"}""", "dan@acme.com", "", null)]
    [InlineData("""{"sub":"a","groups":"sre"}""", "a", "sre", null)]
    [InlineData("""{"sub":"a","groups":["sre","dev"],"realm_access":{"roles":["admin","sre"]}}""", "a", "sre,dev,admin", null)]
    [InlineData("""{"sub":"a","https://example.com/roles":["ops"]}""", "a", "ops", null)]
    [InlineData("""{"sub":"a","realm_access":{"other":1}}""", "a", "", null)]
    [InlineData("""{"sub":"a","tenant_id":"acme"}""", "a", "", "acme")]
    [InlineData("""{"sub":"a","namespaces":["acme","globex","acme"]}""", "a", "", "acme,globex")]
    [InlineData("""{"sub":"a","tenant_id":"acme","namespaces":["globex"]}""", "a", "", "acme,globex")]
    [InlineData("""{"sub":"a","namespaces":[]}""", "a", "", "")]
    [InlineData("""{"sub":"a","groups":null}""", "a", "", null)]
    public void Maps_Claims(string payload, string user, string groups, string? tenants)
    {
        var identity = new ClaimMapper(s_options).Map(JsonDocument.Parse(payload).RootElement, null, out var failure);

        Assert.Null(failure);
        Assert.NotNull(identity);
        Assert.Equal(user, identity.User);
        Assert.Equal(groups, string.Join(",", identity.Groups));
        Assert.Equal(tenants, identity.Tenants is null ? null : string.Join(",", identity.Tenants));
    }

    [Theory]
    [InlineData("""{"email":7}""", "token has no user claim (sub, email, preferred_username)")]
    [InlineData("""{"sub":"a","groups":{"x":1}}""", "claim groups is not a string or an array of strings")]
    [InlineData("""{"sub":"a","realm_access":{"roles":[1]}}""", "claim realm_access.roles is not a string or an array of strings")]
    [InlineData("""{"sub":"a","namespaces":"acme","tenant_id":5}""", "claim tenant_id is not a string or an array of strings")]
    [InlineData("""{"sub":"a","sub":"admin"}""", "token has duplicate claims")]
    [InlineData("""[1]""", "malformed token")]
    public void Refuses_UnusableClaims(string payload, string reason)
    {
        var identity = new ClaimMapper(s_options).Map(JsonDocument.Parse(payload).RootElement, null, out var failure);

        Assert.Null(identity);
        Assert.Equal(reason, failure);
    }
}
