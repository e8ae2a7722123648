namespace Heimdall.Core.PromQL.Ast;

/// <summary>The forms of the <c>@</c> modifier.</summary>
public enum AtModifierKind
{
    /// <summary><c>@ 1609746000</c>.</summary>
    Timestamp,

    /// <summary><c>@ start()</c>.</summary>
    Start,

    /// <summary><c>@ end()</c>.</summary>
    End,
}
