using Heimdall.Core.PromQL.Parser;
using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Tests.PromQL.Rewriting;

public sealed class FederatedGrantTests
{
    private static readonly Grant s_prod = Grant.Parse([["env=\"prod\""]]);
    private static readonly Grant s_alpha = Grant.Parse([["team=\"alpha\""]]);

    [Fact]
    public void Distinct_DeduplicatesTenants() =>
        Assert.Equal(["acme", "globex"], FederatedGrant.Distinct(["acme", "globex", "acme"]));

    [Fact]
    public void Qualify_OneTenant_IsItsGrantUnqualified() =>
        Assert.Same(s_prod, FederatedGrant.Qualify(new Dictionary<string, Grant> { ["acme"] = s_prod }));

    [Fact]
    public void Qualify_SeveralTenants_AddsTenantMatchers()
    {
        var grant = FederatedGrant.Qualify(new Dictionary<string, Grant> { ["globex"] = s_alpha, ["acme"] = s_prod });
        Assert.Equal("[[__tenant_id__=\"acme\", env=\"prod\"], [__tenant_id__=\"globex\", team=\"alpha\"]]", grant.ToString());
        var rewritten = LabelInjector.Inject("sum(up)", grant).Expr!.ToString();
        Assert.Equal("sum((up{__tenant_id__=\"acme\",env=\"prod\"} or up{__tenant_id__=\"globex\",team=\"alpha\"}))", rewritten);
    }

    [Fact]
    public void Qualify_SameGrants_MergeTenants()
    {
        var grant = FederatedGrant.Qualify(new Dictionary<string, Grant> { ["acme"] = s_prod, ["globex"] = s_prod });
        Assert.Equal("[[__tenant_id__=~\"acme|globex\", env=\"prod\"]]", grant.ToString());
    }

    [Fact]
    public void Qualify_AllUnrestricted_IsUnrestricted() =>
        Assert.True(FederatedGrant.Qualify(new Dictionary<string, Grant> { ["a"] = Grant.Unrestricted, ["b"] = Grant.Unrestricted }).IsUnrestricted);

    [Fact]
    public void Qualify_UnrestrictedTenant_IsQualifiedByTenantOnly()
    {
        var grant = FederatedGrant.Qualify(new Dictionary<string, Grant> { ["a"] = Grant.Unrestricted, ["b"] = s_prod });
        Assert.Equal("[[__tenant_id__=\"a\"], [__tenant_id__=\"b\", env=\"prod\"]]", grant.ToString());
    }

    [Fact]
    public void UserTenantMatcher_PrunesAlternatives()
    {
        var grant = FederatedGrant.Qualify(new Dictionary<string, Grant> { ["acme"] = s_prod, ["globex"] = s_alpha });
        Assert.Equal("up{__tenant_id__=\"acme\",env=\"prod\"}", LabelInjector.Inject("up{__tenant_id__=\"acme\"}", grant).Expr!.ToString());
    }

    [Theory]
    [InlineData("up{__tenant_id__=\"acme\"}", "acme", "up")]
    [InlineData("up{__tenant_id__=\"acme\"}", "globex", "{__name__!~\".*\",__name__=\"up\"}")]
    [InlineData("up{__tenant_id__!=\"acme\"}", "globex", "up")]
    [InlineData("up{__tenant_id__=~\"ac.*\"}", "acme", "up")]
    [InlineData("up{__tenant_id__!~\"ac.*\"}", "acme", "{__name__!~\".*\",__name__=\"up\"}")]
    [InlineData("{__tenant_id__=\"acme\"}", "acme", "{__name__!~\".*\"}")]
    [InlineData("up{original___tenant_id__=\"x\"}", "acme", "up{__tenant_id__=\"x\"}")]
    [InlineData("sum(up) / sum(up{__tenant_id__=\"b\"})", "a", "sum(up) / sum({__name__!~\".*\",__name__=\"up\"})")]
    public void ForTenant_RewritesTenantMatchers(string query, string tenant, string expected) =>
        Assert.Equal(expected, FederatedGrant.ForTenant(PromQLParser.Parse(query), tenant).ToString());

    [Theory]
    [InlineData("up", "acme", true)]
    [InlineData("up{__tenant_id__=\"acme\"}", "acme", true)]
    [InlineData("up{__tenant_id__=\"acme\"}", "globex", false)]
    [InlineData("up{__tenant_id__=\"acme\"} or x{__tenant_id__=\"globex\"}", "globex", true)]
    [InlineData("{__tenant_id__=\"acme\"}", "acme", false)]
    [InlineData("vector(1)", "acme", true)]
    public void MaySelect_JudgesTenantMatchers(string query, string tenant, bool expected) =>
        Assert.Equal(expected, FederatedGrant.MaySelect(PromQLParser.Parse(query), tenant));
}
