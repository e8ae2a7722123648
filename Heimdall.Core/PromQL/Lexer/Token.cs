namespace Heimdall.Core.PromQL.Lexer;

/// <summary>One lexical item: its kind and where it is (<see cref="Start"/> inclusive, <see cref="End"/> exclusive).</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End)
{
    public int Length => End - Start;
}
