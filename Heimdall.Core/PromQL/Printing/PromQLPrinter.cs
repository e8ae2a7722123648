using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Printing;

/// <summary>Prometheus' canonical single-line printer.</summary>
internal static class PromQLPrinter
{
    public static string Print(Expr expr) => throw new NotImplementedException();

    public static string PrintMatcher(LabelMatcher matcher) => throw new NotImplementedException();
}
