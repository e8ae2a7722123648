namespace Heimdall.Core.Federation;

/// <summary>PromQL label-matcher operators.</summary>
internal enum GrantMatchType
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>=~</c> (fully anchored)</summary>
    Regex,

    /// <summary><c>!~</c> (fully anchored)</summary>
    NotRegex,
}
