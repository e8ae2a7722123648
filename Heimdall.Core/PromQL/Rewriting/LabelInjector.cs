using Heimdall.Core.Diagnostics;
using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>
/// Restricts a PromQL query to a <see cref="Grant"/> (DESIGN §4): every vector and range selector, wherever it occurs,
/// keeps its own matchers and gets the grant's (ANDed), so the rewritten query returns what the original returns on
/// the permitted series only. Queries without selectors (<c>1+1</c>) are returned unchanged. Thread-safe; policy
/// refusals are returned, not thrown. Each restricting call is one <c>rewrite.Query</c> span.
/// </summary>
// RS0026: the two Inject overloads differ in their first parameter's type (Expr, string), so an optional trailing
// parameter on both cannot make a call ambiguous.
#pragma warning disable RS0026
public static class LabelInjector
{
    /// <summary>Rewrites <paramref name="expr"/> for <paramref name="grant"/>.</summary>
    /// <param name="expr">A parsed query.</param>
    /// <param name="grant">The caller's grant.</param>
    /// <param name="options">Options; <see cref="InjectionOptions.Default"/> when null.</param>
    public static InjectionResult Inject(Expr expr, Grant grant, InjectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(expr);
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.IsUnrestricted)
        {
            return InjectionResult.Success(expr);
        }
        using var activity = HeimdallDiagnostics.ActivitySource.StartActivity(SpanNames.RewriteQuery);
        var result = new InjectionRewriter(grant, options ?? InjectionOptions.Default).Rewrite(expr);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("heimdall.grant.alternatives", grant.Alternatives.Count);
            if (!result.Succeeded)
            {
                activity.SetTag("heimdall.rewrite.error", result.ErrorKind.ToString());
            }
        }
        return result;
    }

    /// <summary>Parses, rewrites and prints <paramref name="query"/>; a parse error is a <see cref="InjectionErrorKind.BadData"/> failure.</summary>
    /// <param name="query">The query text.</param>
    /// <param name="grant">The caller's grant.</param>
    /// <param name="options">Options; <see cref="InjectionOptions.Default"/> when null.</param>
    /// <returns>The result; on success <see cref="InjectionResult.Expr"/> prints (<c>ToString()</c>) the rewritten query.</returns>
    public static InjectionResult Inject(string query, Grant grant, InjectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!PromQLParser.TryParse(query, out var expr, out var error) || expr is null)
        {
            return InjectionResult.Failure(InjectionErrorKind.BadData, error?.ToString() ?? "invalid query");
        }
        return Inject(expr, grant, options);
    }
}
#pragma warning restore RS0026
