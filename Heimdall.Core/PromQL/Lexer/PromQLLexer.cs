using Heimdall.Core.PromQL.Printing;

namespace Heimdall.Core.PromQL.Lexer;

/// <summary>
/// Context-sensitive PromQL lexer following Prometheus' <c>lex.go</c>: braces, brackets and parentheses change what
/// characters mean, errors are reported as <see cref="TokenKind.Error"/> tokens with <see cref="ErrorMessage"/>.
/// </summary>
internal sealed class PromQLLexer
{
    private string _input;
    private int _pos;
    private int _parenDepth;
    private bool _braceOpen;
    private bool _bracketOpen;
    private bool _gotColon;
    private bool _afterLeftBracket;
    private bool _done;
    private bool _matcherOnly;

    public PromQLLexer(string input, bool matcherOnly = false)
    {
        _input = input;
        _braceOpen = matcherOnly;
        _matcherOnly = matcherOnly;
    }

    /// <summary>Reuses the lexer for another input.</summary>
    public PromQLLexer Reset(string input, bool matcherOnly)
    {
        _input = input;
        _pos = 0;
        _parenDepth = 0;
        _braceOpen = matcherOnly;
        _bracketOpen = false;
        _gotColon = false;
        _afterLeftBracket = false;
        _done = false;
        _matcherOnly = matcherOnly;
        ErrorMessage = "";
        return this;
    }

    /// <summary>The message of the last <see cref="TokenKind.Error"/> token.</summary>
    public string ErrorMessage { get; private set; } = "";

    public Token Next()
    {
        if (_done)
        {
            return new Token(TokenKind.Eof, _input.Length, _input.Length);
        }
        var token = _braceOpen ? LexInsideBraces() : LexStatement();
        if (token.Kind is TokenKind.Error or TokenKind.Eof)
        {
            _done = true;
        }
        return token;
    }

    private char Peek(int offset = 0) => _pos + offset < _input.Length ? _input[_pos + offset] : '\0';

    private bool AtEnd(int offset = 0) => _pos + offset >= _input.Length;

    private Token Error(int start, string message)
    {
        ErrorMessage = message;
        return new Token(TokenKind.Error, start, _pos);
    }

    private void SkipSpaceAndComments()
    {
        while (_pos < _input.Length)
        {
            var c = _input[_pos];
            if (IsSpace(c))
            {
                _pos++;
            }
            else if (c == '#' && !_braceOpen)
            {
                while (_pos < _input.Length && _input[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else
            {
                break;
            }
        }
    }

    private Token LexStatement()
    {
        SkipSpaceAndComments();
        var start = _pos;
        if (AtEnd())
        {
            if (_parenDepth != 0)
            {
                return Error(start, "unclosed left parenthesis");
            }
            if (_bracketOpen)
            {
                return Error(start, "unclosed left bracket");
            }
            return new Token(TokenKind.Eof, start, start);
        }
        if (_afterLeftBracket)
        {
            _afterLeftBracket = false;
            return LexDuration(start);
        }
        var c = _input[_pos++];
        switch (c)
        {
            case ',': return new Token(TokenKind.Comma, start, _pos);
            case '*': return new Token(TokenKind.Mul, start, _pos);
            case '/': return new Token(TokenKind.Div, start, _pos);
            case '%': return new Token(TokenKind.Mod, start, _pos);
            case '+': return new Token(TokenKind.Add, start, _pos);
            case '-': return new Token(TokenKind.Sub, start, _pos);
            case '^': return new Token(TokenKind.Pow, start, _pos);
            case '@': return new Token(TokenKind.At, start, _pos);
            case '=':
                if (Peek() == '=')
                {
                    _pos++;
                    return new Token(TokenKind.EqlC, start, _pos);
                }
                if (Peek() == '~')
                {
                    return Error(start, "unexpected character after '=': " + GoQuote.QuoteRune('~'));
                }
                return new Token(TokenKind.Eql, start, _pos);
            case '!':
                if (Peek() == '=')
                {
                    _pos++;
                    return new Token(TokenKind.Neq, start, _pos);
                }
                return Error(start, "unexpected character after '!': " + QuoteNextRune());
            case '<':
                if (Peek() == '=')
                {
                    _pos++;
                    return new Token(TokenKind.Lte, start, _pos);
                }
                return new Token(TokenKind.Lss, start, _pos);
            case '>':
                if (Peek() == '=')
                {
                    _pos++;
                    return new Token(TokenKind.Gte, start, _pos);
                }
                return new Token(TokenKind.Gtr, start, _pos);
            case '"' or '\'':
                return LexString(start, c);
            case '`':
                return LexRawString(start);
            case '(':
                _parenDepth++;
                return new Token(TokenKind.LeftParen, start, _pos);
            case ')':
                _parenDepth--;
                if (_parenDepth < 0)
                {
                    return Error(_pos, "unexpected right parenthesis " + GoQuote.QuoteRune(')'));
                }
                return new Token(TokenKind.RightParen, start, _pos);
            case '{':
                _braceOpen = true;
                return new Token(TokenKind.LeftBrace, start, _pos);
            case '[':
                if (_bracketOpen)
                {
                    return Error(start, "unexpected left bracket " + GoQuote.QuoteRune('['));
                }
                _gotColon = false;
                _bracketOpen = true;
                _afterLeftBracket = true;
                return new Token(TokenKind.LeftBracket, start, _pos);
            case ']':
                if (!_bracketOpen)
                {
                    return Error(start, "unexpected right bracket " + GoQuote.QuoteRune(']'));
                }
                _bracketOpen = false;
                return new Token(TokenKind.RightBracket, start, _pos);
            case ':':
                if (!_bracketOpen)
                {
                    _pos--;
                    return LexKeywordOrIdentifier(start);
                }
                if (_gotColon)
                {
                    return Error(start, "unexpected colon " + GoQuote.QuoteRune(':'));
                }
                _gotColon = true;
                return new Token(TokenKind.Colon, start, _pos);
        }
        if (IsDigit(c) || (c == '.' && IsDigit(Peek())))
        {
            _pos--;
            return LexNumberOrDuration(start);
        }
        if (IsAlpha(c))
        {
            _pos--;
            return LexKeywordOrIdentifier(start);
        }
        _pos--;
        return Error(start, "unexpected character: " + QuoteNextRune());
    }

    private string QuoteNextRune()
    {
        if (AtEnd())
        {
            return GoQuote.QuoteRune(0xFFFD);
        }
        var c = _input[_pos];
        if (char.IsHighSurrogate(c) && _pos + 1 < _input.Length && char.IsLowSurrogate(_input[_pos + 1]))
        {
            return GoQuote.QuoteRune(char.ConvertToUtf32(c, _input[_pos + 1]));
        }
        return GoQuote.QuoteRune(char.IsSurrogate(c) ? 0xFFFD : c);
    }

    private Token LexInsideBraces()
    {
        while (!AtEnd() && IsSpace(_input[_pos]))
        {
            _pos++;
        }
        var start = _pos;
        if (AtEnd())
        {
            if (_matcherOnly)
            {
                return new Token(TokenKind.Eof, start, start);
            }
            return Error(start, "unexpected end of input inside braces");
        }
        var c = _input[_pos++];
        if (IsAlpha(c))
        {
            while (!AtEnd() && IsAlphaNumeric(_input[_pos]))
            {
                _pos++;
            }
            return new Token(TokenKind.Identifier, start, _pos);
        }
        switch (c)
        {
            case ',':
                return new Token(TokenKind.Comma, start, _pos);
            case '"' or '\'':
                return LexString(start, c);
            case '`':
                return LexRawString(start);
            case '=':
                if (Peek() == '~')
                {
                    _pos++;
                    return new Token(TokenKind.EqlRegex, start, _pos);
                }
                return new Token(TokenKind.Eql, start, _pos);
            case '!':
                if (Peek() == '~')
                {
                    _pos++;
                    return new Token(TokenKind.NeqRegex, start, _pos);
                }
                if (Peek() == '=')
                {
                    _pos++;
                    return new Token(TokenKind.Neq, start, _pos);
                }
                return Error(start, "unexpected character after '!' inside braces: " + QuoteNextRune());
            case '{':
                return Error(start, "unexpected left brace " + GoQuote.QuoteRune('{'));
            case '}':
                _braceOpen = false;
                return new Token(TokenKind.RightBrace, start, _pos);
        }
        _pos--;
        return Error(start, "unexpected character inside braces: " + QuoteNextRune());
    }

    private Token LexKeywordOrIdentifier(int start)
    {
        var hasColon = false;
        while (!AtEnd())
        {
            var c = _input[_pos];
            if (IsAlphaNumeric(c))
            {
                _pos++;
            }
            else if (c == ':')
            {
                hasColon = true;
                _pos++;
            }
            else
            {
                break;
            }
        }
        var word = _input.AsSpan(start, _pos - start);
        if (TokenKinds.TryGetKeyword(word, out var kind))
        {
            return new Token(kind, start, _pos);
        }
        return new Token(hasColon ? TokenKind.MetricIdentifier : TokenKind.Identifier, start, _pos);
    }

    private bool ScanNumber()
    {
        var hex = false;
        if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X'))
        {
            _pos += 2;
            hex = true;
        }
        AcceptDigits(hex);
        if (Peek() == '.')
        {
            _pos++;
            AcceptDigits(hex);
        }
        if (Peek() is 'e' or 'E')
        {
            _pos++;
            if (Peek() is '+' or '-')
            {
                _pos++;
            }
            AcceptDigits(false);
        }
        return AtEnd() || !IsAlphaNumeric(_input[_pos]);
    }

    private void AcceptDigits(bool hex)
    {
        while (!AtEnd() && (IsDigit(_input[_pos]) || (hex && char.IsAsciiHexDigit(_input[_pos]))))
        {
            _pos++;
        }
    }

    private bool AcceptRemainingDuration()
    {
        if (AtEnd() || "smhdwy".IndexOf(_input[_pos]) < 0)
        {
            return false;
        }
        _pos++;
        if (Peek() == 's')
        {
            _pos++;
        }
        while (!AtEnd() && IsDigit(_input[_pos]))
        {
            while (!AtEnd() && IsDigit(_input[_pos]))
            {
                _pos++;
            }
            if (AtEnd() || "smhdw".IndexOf(_input[_pos]) < 0)
            {
                return false;
            }
            _pos++;
            if (Peek() == 's')
            {
                _pos++;
            }
        }
        if (!AtEnd() && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
            return false;
        }
        return true;
    }

    private Token LexNumberOrDuration(int start)
    {
        if (ScanNumber())
        {
            return new Token(TokenKind.Number, start, _pos);
        }
        if (AcceptRemainingDuration())
        {
            return new Token(TokenKind.Duration, start, _pos);
        }
        return Error(start, "bad number or duration syntax: " + GoQuote.Quote(_input.AsSpan(start, _pos - start)));
    }

    private Token LexDuration(int start)
    {
        if (ScanNumber())
        {
            return Error(start, "missing unit character in duration");
        }
        if (!AcceptRemainingDuration())
        {
            return Error(start, "bad duration syntax: " + GoQuote.Quote(_input.AsSpan(start, _pos - start)));
        }
        return new Token(TokenKind.Duration, start, _pos);
    }

    private Token LexString(int start, char quote)
    {
        while (true)
        {
            if (AtEnd())
            {
                return Error(start, "unterminated quoted string");
            }
            var c = _input[_pos++];
            if (c == '\\')
            {
                var err = LexEscape(quote);
                if (err is not null)
                {
                    return Error(start, err);
                }
            }
            else if (c == '\n')
            {
                return Error(start, "unterminated quoted string");
            }
            else if (c == quote)
            {
                return new Token(TokenKind.String, start, _pos);
            }
        }
    }

    private string? LexEscape(char quote)
    {
        if (AtEnd())
        {
            return "escape sequence not terminated";
        }
        var c = _input[_pos++];
        int n, max;
        int radix;
        switch (c)
        {
            case 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v' or '\\':
                return null;
            case >= '0' and <= '7':
                n = 3;
                radix = 8;
                max = 255;
                _pos--;
                break;
            case 'x':
                n = 2;
                radix = 16;
                max = 255;
                break;
            case 'u':
                n = 4;
                radix = 16;
                max = 0x10FFFF;
                break;
            case 'U':
                n = 8;
                radix = 16;
                max = 0x10FFFF;
                break;
            default:
                if (c == quote)
                {
                    return null;
                }
                if (char.IsHighSurrogate(c) && !AtEnd() && char.IsLowSurrogate(_input[_pos]))
                {
                    return "unknown escape sequence " + GoQuote.UnicodeForm(char.ConvertToUtf32(c, _input[_pos]));
                }
                return "unknown escape sequence " + GoQuote.UnicodeForm(c);
        }
        var x = 0;
        for (; n > 0; n--)
        {
            if (AtEnd())
            {
                return "escape sequence not terminated";
            }
            var d = _input[_pos];
            var v = d switch
            {
                >= '0' and <= '9' => d - '0',
                >= 'a' and <= 'f' => d - 'a' + 10,
                >= 'A' and <= 'F' => d - 'A' + 10,
                _ => 99,
            };
            if (v >= radix)
            {
                if (d == quote || d == '\n')
                {
                    return "escape sequence not terminated";
                }
                return "illegal character " + GoQuote.UnicodeForm(d) + " in escape sequence";
            }
            _pos++;
            x = (x * radix) + v;
        }
        if (x > max || (radix == 16 && max > 255 && x is >= 0xD800 and < 0xE000))
        {
            return "escape sequence is an invalid Unicode code point";
        }
        return null;
    }

    private Token LexRawString(int start)
    {
        var end = _input.IndexOf('`', _pos);
        if (end < 0)
        {
            _pos = _input.Length;
            return Error(start, "unterminated raw string");
        }
        _pos = end + 1;
        return new Token(TokenKind.String, start, _pos);
    }

    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r';

    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static bool IsAlpha(char c) => c == '_' || (c is >= 'a' and <= 'z') || (c is >= 'A' and <= 'Z');

    public static bool IsAlphaNumeric(char c) => IsAlpha(c) || IsDigit(c);
}
