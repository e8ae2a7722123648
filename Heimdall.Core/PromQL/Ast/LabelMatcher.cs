using System.Text.RegularExpressions;
using Heimdall.Core.PromQL.Printing;

namespace Heimdall.Core.PromQL.Ast;

/// <summary>
/// A label matcher <c>name op "value"</c>. Regular expressions are fully anchored as in Prometheus
/// (<c>^(?s:value)$</c>) and run on .NET's non-backtracking engine, so matching time is linear in the input.
/// Equality compares <see cref="Type"/>, <see cref="Name"/> and <see cref="Value"/>.
/// </summary>
public sealed class LabelMatcher : IEquatable<LabelMatcher>
{
    private Regex? _regex;

    /// <summary>Creates a matcher; for regex types the expression is compiled and checked.</summary>
    /// <param name="type">The operator.</param>
    /// <param name="name">The label name (any UTF-8 string; <c>__name__</c> for the metric name).</param>
    /// <param name="value">The value or regular expression.</param>
    /// <exception cref="ArgumentException">The regular expression is invalid.</exception>
    public LabelMatcher(LabelMatchType type, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        Type = type;
        Name = name;
        Value = value;
        if (type is LabelMatchType.Regex or LabelMatchType.NotRegex)
        {
            if (!RegexCache.TryGet(value, out _regex, out var error))
            {
                throw new ArgumentException(error, nameof(value));
            }
        }
    }

    private LabelMatcher(LabelMatchType type, string name, string value, Regex? regex)
    {
        Type = type;
        Name = name;
        Value = value;
        _regex = regex;
    }

    /// <summary>The operator.</summary>
    public LabelMatchType Type { get; }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The value, or the regular expression without anchors.</summary>
    public string Value { get; }

    /// <summary>Whether a label value (<c>""</c> for an absent label) satisfies the matcher.</summary>
    /// <param name="value">The label value.</param>
    public bool Matches(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Type switch
        {
            LabelMatchType.Equal => string.Equals(value, Value, StringComparison.Ordinal),
            LabelMatchType.NotEqual => !string.Equals(value, Value, StringComparison.Ordinal),
            LabelMatchType.Regex => GetRegex().IsMatch(value),
            LabelMatchType.NotRegex => !GetRegex().IsMatch(value),
            _ => false,
        };
    }

    /// <summary>Tries to create a matcher; returns an error message (Prometheus' wording where practical) instead of throwing.</summary>
    /// <param name="type">The operator.</param>
    /// <param name="name">The label name.</param>
    /// <param name="value">The value or regular expression.</param>
    /// <param name="matcher">The matcher on success.</param>
    /// <param name="error">The error on failure.</param>
    public static bool TryCreate(LabelMatchType type, string name, string value, out LabelMatcher? matcher, out string? error)
    {
        Regex? regex = null;
        if (type is LabelMatchType.Regex or LabelMatchType.NotRegex && !RegexCache.TryGet(value, out regex, out error))
        {
            matcher = null;
            return false;
        }
        matcher = new LabelMatcher(type, name, value, regex);
        error = null;
        return true;
    }

    private Regex GetRegex()
    {
        if (_regex is null)
        {
            RegexCache.TryGet(Value, out _regex, out _);
        }
        return _regex!;
    }

    /// <summary>The operator's PromQL text: <c>=</c>, <c>!=</c>, <c>=~</c> or <c>!~</c>.</summary>
    /// <param name="type">The operator.</param>
    public static string OperatorText(LabelMatchType type) => type switch
    {
        LabelMatchType.Equal => "=",
        LabelMatchType.NotEqual => "!=",
        LabelMatchType.Regex => "=~",
        LabelMatchType.NotRegex => "!~",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <inheritdoc/>
    public bool Equals(LabelMatcher? other) =>
        other is not null && Type == other.Type && string.Equals(Name, other.Name, StringComparison.Ordinal) &&
        string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LabelMatcher);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Name, Value);

    /// <summary>The canonical PromQL text, e.g. <c>env="prod"</c> or <c>"service.name"=~"a|b"</c>.</summary>
    public override string ToString() => PromQLPrinter.PrintMatcher(this);
}
