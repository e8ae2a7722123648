namespace Heimdall.Core.PromQL.Ast;

/// <summary>The four label matcher operators.</summary>
public enum LabelMatchType
{
    /// <summary><c>=</c>: the label equals the value (an absent label equals <c>""</c>).</summary>
    Equal,

    /// <summary><c>!=</c>: the label differs from the value.</summary>
    NotEqual,

    /// <summary><c>=~</c>: the label matches the fully anchored regular expression.</summary>
    Regex,

    /// <summary><c>!~</c>: the label does not match the fully anchored regular expression.</summary>
    NotRegex,
}
