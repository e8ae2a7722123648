using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>Finds whether any selector can reach a tenant by its <c>__tenant_id__</c> matchers.</summary>
internal sealed class TenantSelectorFinder(string tenant) : PromQLWalker
{
    public bool AnySelector { get; private set; }

    public bool Reachable { get; private set; }

    public override bool VisitVectorSelector(VectorSelector node)
    {
        AnySelector = true;
        var selects = true;
        var other = false;
        foreach (var m in node.LabelMatchers)
        {
            if (m.Name == FederatedGrant.TenantLabel)
            {
                selects &= m.Matches(tenant);
            }
            else if (!m.Matches(""))
            {
                other = true;
            }
        }
        Reachable |= selects && other;
        return true;
    }
}
