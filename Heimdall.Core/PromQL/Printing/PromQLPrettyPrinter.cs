using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Printing;

/// <summary>Prometheus' pretty printer (<c>format_query</c>).</summary>
internal static class PromQLPrettyPrinter
{
    public static string Print(Expr expr) => throw new NotImplementedException();
}
