namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>Why a query could not be rewritten.</summary>
public enum InjectionErrorKind
{
    /// <summary>No error.</summary>
    None,

    /// <summary>
    /// Strict mode: a selector asks only for label values the grant does not allow (e.g. <c>{env="dev"}</c> under
    /// <c>env="prod"</c>). Answer 403.
    /// </summary>
    Forbidden,

    /// <summary>The query cannot be restricted exactly (a bare range selector under several alternatives). Answer 400.</summary>
    Unsupported,

    /// <summary>The input is not valid (a <c>match[]</c> that is not a selector, a parse error). Answer 400.</summary>
    BadData,
}
