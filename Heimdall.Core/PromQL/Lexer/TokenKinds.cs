using System.Collections.Frozen;
using Heimdall.Core.PromQL.Printing;

namespace Heimdall.Core.PromQL.Lexer;

/// <summary>Classification and descriptions of token kinds.</summary>
internal static class TokenKinds
{
    private static readonly FrozenDictionary<string, TokenKind> s_keywords = new Dictionary<string, TokenKind>(StringComparer.Ordinal)
    {
        ["and"] = TokenKind.LAnd,
        ["or"] = TokenKind.LOr,
        ["unless"] = TokenKind.LUnless,
        ["atan2"] = TokenKind.Atan2,
        ["sum"] = TokenKind.Sum,
        ["avg"] = TokenKind.Avg,
        ["count"] = TokenKind.Count,
        ["min"] = TokenKind.Min,
        ["max"] = TokenKind.Max,
        ["group"] = TokenKind.Group,
        ["stddev"] = TokenKind.Stddev,
        ["stdvar"] = TokenKind.Stdvar,
        ["topk"] = TokenKind.Topk,
        ["bottomk"] = TokenKind.Bottomk,
        ["count_values"] = TokenKind.CountValues,
        ["quantile"] = TokenKind.Quantile,
        ["limitk"] = TokenKind.Limitk,
        ["limit_ratio"] = TokenKind.LimitRatio,
        ["offset"] = TokenKind.Offset,
        ["by"] = TokenKind.By,
        ["without"] = TokenKind.Without,
        ["on"] = TokenKind.On,
        ["ignoring"] = TokenKind.Ignoring,
        ["group_left"] = TokenKind.GroupLeft,
        ["group_right"] = TokenKind.GroupRight,
        ["bool"] = TokenKind.Bool,
        ["inf"] = TokenKind.Number,
        ["nan"] = TokenKind.Number,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, TokenKind>.AlternateLookup<ReadOnlySpan<char>> s_lookup =
        s_keywords.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool TryGetKeyword(ReadOnlySpan<char> word, out TokenKind kind)
    {
        // Keywords are 2 to 12 characters; most identifiers are rejected by length or first letter without hashing.
        kind = default;
        if (word.Length is < 2 or > 12)
        {
            return false;
        }
        switch (word[0] | 0x20)
        {
            case 'a' or 'b' or 'c' or 'g' or 'i' or 'l' or 'm' or 'n' or 'o' or 'q' or 's' or 't' or 'u' or 'w':
                return s_lookup.TryGetValue(word, out kind);
            default:
                return false;
        }
    }

    public static bool IsAggregator(TokenKind kind) => kind is >= TokenKind.Sum and <= TokenKind.LimitRatio;

    public static bool IsKeyword(TokenKind kind) => kind is >= TokenKind.Offset and <= TokenKind.Bool;

    public static bool IsOperator(TokenKind kind) => kind is >= TokenKind.Eql and <= TokenKind.Atan2;

    /// <summary>Words that may be label names (and metric names) even though they lex as keywords.</summary>
    public static bool IsWord(TokenKind kind) =>
        kind is TokenKind.Identifier || IsAggregator(kind) || IsKeyword(kind) || kind is TokenKind.LAnd or TokenKind.LOr or TokenKind.LUnless or TokenKind.Atan2;

    /// <summary>Prometheus' <c>Item.desc()</c> for error messages.</summary>
    public static string Describe(Token token, string input)
    {
        var text = input.AsSpan(token.Start, token.Length);
        switch (token.Kind)
        {
            case TokenKind.Eof:
                return "end of input";
            case TokenKind.Identifier:
                return "identifier " + GoQuote.Quote(text);
            case TokenKind.MetricIdentifier:
                return "metric identifier " + GoQuote.Quote(text);
            case TokenKind.String:
                return "string " + Truncated(text);
            case TokenKind.Number:
                return "number " + Truncated(text);
            case TokenKind.Duration:
                return "duration " + Truncated(text);
        }
        if (IsKeyword(token.Kind))
        {
            return "<" + text.ToString() + ">";
        }
        if (IsOperator(token.Kind))
        {
            return "<op:" + text.ToString() + ">";
        }
        if (IsAggregator(token.Kind))
        {
            return "<aggr:" + text.ToString() + ">";
        }
        return GoQuote.Quote(text);
    }

    private static string Truncated(ReadOnlySpan<char> text) =>
        text.Length > 10 ? GoQuote.Quote(text[..10]) + "..." : GoQuote.Quote(text);
}
