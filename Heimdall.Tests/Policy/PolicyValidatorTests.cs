using Heimdall.Core.Policy;

namespace Heimdall.Tests.Policy;

public sealed class PolicyValidatorTests
{
    private static AccessPolicy Valid() => new()
    {
        Name = "allow-alice-read-acme",
        Effect = PolicyEffects.Allow,
        Subjects = [new PolicySubject { Type = "user", Id = "alice@acme.com" }, new PolicySubject { Type = "group", Id = "sre" }],
        Actions = [PolicyActions.Read],
        Scope = new PolicyScope { Tenants = ["acme"], Resources = [PolicyResources.Metrics] },
        Filters = ["env=\"prod\"", "team=~\"a|b\""],
    };

    public static TheoryData<AccessPolicy, string> Invalid => new()
    {
        { Valid() with { Name = "" }, "name" },
        { Valid() with { Name = "a/b" }, "name" },
        { Valid() with { Name = "has space" }, "name" },
        { Valid() with { Effect = "Allow" }, "effect" },
        { Valid() with { Subjects = [] }, "subjects" },
        { Valid() with { Subjects = [new PolicySubject { Type = "robot", Id = "x" }] }, "subjects[0].type" },
        { Valid() with { Subjects = [new PolicySubject { Type = "user", Id = " " }] }, "subjects[0].id" },
        { Valid() with { Actions = [] }, "actions" },
        { Valid() with { Actions = ["read", "delete"] }, "actions[1]" },
        { Valid() with { Actions = ["read", "read"] }, "actions[1]" },
        { Valid() with { Scope = new PolicyScope { Tenants = [], Resources = ["metrics"] } }, "scope.tenants" },
        { Valid() with { Scope = new PolicyScope { Tenants = ["a|b"], Resources = ["metrics"] } }, "scope.tenants[0]" },
        { Valid() with { Scope = new PolicyScope { Tenants = ["acme"], Resources = ["logs"] } }, "scope.resources[0]" },
        { Valid() with { Filters = ["env=\"prod\"", "env=prod"] }, "filters[1]" },
        { Valid() with { Effect = PolicyEffects.Deny }, "filters" },
    };

    [Fact]
    public void Accepts_TheReadmePolicy() => Assert.Empty(PolicyValidator.ValidatePolicy(Valid()));

    [Fact]
    public void Accepts_WildcardsAndDenyWithoutFilters() =>
        Assert.Empty(PolicyValidator.ValidatePolicy(Valid() with
        {
            Effect = PolicyEffects.Deny,
            Subjects = [new PolicySubject { Type = "group", Id = "*" }],
            Actions = ["*"],
            Scope = new PolicyScope { Tenants = ["*"], Resources = ["*"] },
            Filters = [],
        }));

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_WithPolicyAndField(AccessPolicy policy, string field)
    {
        var errors = PolicyValidator.ValidatePolicy(policy);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(string.IsNullOrEmpty(policy.Name) ? "#0" : policy.Name, error.Policy);
    }

    [Fact]
    public void ReportsEveryError_InADocument()
    {
        var doc = new PolicyDocument
        {
            Tenants = [new Tenant { Id = "acme" }, new Tenant { Id = "acme" }],
            Policies = [Valid(), Valid(), Valid() with { Name = "other", Effect = "x", Scope = new PolicyScope { Tenants = ["globex"], Resources = ["metrics"] } }],
        };

        var errors = PolicyValidator.ValidateDocument(doc, _ => false);

        Assert.Contains(errors, e => e.Tenant == "acme" && e.Field == "id" && e.Message.Contains("duplicate"));
        Assert.Contains(errors, e => e.Policy == "allow-alice-read-acme" && e.Field == "name" && e.Message.Contains("duplicate"));
        Assert.Contains(errors, e => e.Policy == "other" && e.Field == "effect");
        Assert.Contains(errors, e => e.Policy == "other" && e.Field == "scope.tenants[0]" && e.Message.Contains("does not exist"));
        Assert.Equal("policy \"other\": effect: must be \"allow\" or \"deny\", not \"x\"", errors.First(e => e.Field == "effect").ToString());
    }
}
