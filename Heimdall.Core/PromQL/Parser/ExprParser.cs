using System.Globalization;
using System.Runtime.CompilerServices;
using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Functions;
using Heimdall.Core.PromQL.Lexer;
using Heimdall.Core.PromQL.Printing;

namespace Heimdall.Core.PromQL.Parser;

/// <summary>
/// Recursive-descent parser with precedence climbing that reproduces Prometheus' grammar (<c>generated_parser.y</c>)
/// and checks (<c>parse.go</c>). Syntax errors stop parsing; semantic errors found while parsing are kept (the first
/// wins, as in Prometheus) and type errors are reported only when there is no other error.
/// </summary>
internal sealed partial class ExprParser
{
    private const string MetricName = "__name__";
    private static readonly VectorMatching s_oneToOne = new(VectorMatchCardinality.OneToOne, default, false, default);
    private static readonly VectorMatching s_manyToMany = new(VectorMatchCardinality.ManyToMany, default, false, default);

    [ThreadStatic]
    private static ExprParser? t_cached;

    private readonly List<LabelMatcher> _matchers = new(8);
    private readonly List<Expr> _args = new(8);
    private readonly List<string> _labels = new(8);
    private string _input = "";
    private readonly PromQLLexer _lexer = new("");
    private Token _tok;
    private Token _next;
    private bool _hasNext;
    private int _nesting;
    private int _maxNesting;
    private int _chainNodes;
    private (PositionRange Pos, string Message)? _parseError;
    private (PositionRange Pos, string Message)? _typeError;

    private sealed class SyntaxError : Exception
    {
    }

    public static bool TryParse(string query, out Expr? expr, out PromQLParseError? error)
    {
        expr = null;
        if (query.Length > PromQLParser.MaxQueryLength)
        {
            error = MakeError(query, new PositionRange(0, 0),
                $"query is {query.Length} characters long, more than the maximum of {PromQLParser.MaxQueryLength}");
            return false;
        }
        var parser = t_cached ?? new ExprParser();
        t_cached = null;
        try
        {
            parser.Reset(query, matcherOnly: false);
            Expr? result = null;
            try
            {
                result = parser.ParseRoot();
            }
            catch (SyntaxError)
            {
            }
            catch (InsufficientExecutionStackException)
            {
                parser.RecordParse(new PositionRange(0, 0), "expression nesting is too deep");
            }
            var first = parser._parseError ?? parser._typeError;
            if (first is { } f)
            {
                error = MakeError(query, f.Pos, f.Message);
                return false;
            }
            if (result is not null && parser._maxNesting + parser._chainNodes > PromQLParser.MaxDepth / 2 && DepthOf(result) > PromQLParser.MaxDepth)
            {
                error = MakeError(query, new PositionRange(0, 0), $"expression nesting exceeds the maximum depth of {PromQLParser.MaxDepth}");
                return false;
            }
            expr = result;
            error = null;
            return true;
        }
        finally
        {
            parser.Clear();
            t_cached = parser;
        }
    }

    public static bool TryParseMatcher(string text, out LabelMatcher? matcher, out PromQLParseError? error)
    {
        matcher = null;
        if (text.Length > PromQLParser.MaxQueryLength)
        {
            error = MakeError(text, new PositionRange(0, 0), "matcher is too long");
            return false;
        }
        var parser = new ExprParser();
        parser.Reset(text, matcherOnly: true);
        try
        {
            var m = parser.ParseMatcher(allowBareName: false);
            if (parser._tok.Kind != TokenKind.Eof)
            {
                parser.Unexpected("label matching", "end of input");
            }
            if (parser._parseError is { } f)
            {
                error = MakeError(text, f.Pos, f.Message);
                return false;
            }
            matcher = m;
            error = null;
            return true;
        }
        catch (SyntaxError)
        {
            var f = parser._parseError!.Value;
            error = MakeError(text, f.Pos, f.Message);
            return false;
        }
    }

    private void Reset(string input, bool matcherOnly)
    {
        _input = input;
        _lexer.Reset(input, matcherOnly);
        _hasNext = false;
        _nesting = 0;
        _maxNesting = 0;
        _chainNodes = 0;
        _parseError = null;
        _typeError = null;
        _tok = _lexer.Next();
    }

    private void Clear()
    {
        _input = "";
        _lexer.Reset("", matcherOnly: false);
        _matchers.Clear();
        _args.Clear();
        _labels.Clear();
    }

    private static PromQLParseError MakeError(string query, PositionRange pos, string message)
    {
        var start = Math.Clamp(pos.Start, 0, query.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < start; i++)
        {
            if (query[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        var column = System.Text.Encoding.UTF8.GetByteCount(query.AsSpan(lineStart, start - lineStart)) + 1;
        return new PromQLParseError(pos, line, column, message);
    }

    private static int DepthOf(Expr root)
    {
        var max = 0;
        var stack = new Stack<(Expr Node, int Depth)>();
        stack.Push((root, 1));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            max = Math.Max(max, depth);
            switch (node)
            {
                case BinaryExpr b:
                    stack.Push((b.Lhs, depth + 1));
                    stack.Push((b.Rhs, depth + 1));
                    break;
                case ParenExpr p:
                    stack.Push((p.Expr, depth + 1));
                    break;
                case UnaryExpr u:
                    stack.Push((u.Expr, depth + 1));
                    break;
                case SubqueryExpr s:
                    stack.Push((s.Expr, depth + 1));
                    break;
                case MatrixSelector m:
                    stack.Push((m.VectorSelector, depth + 1));
                    break;
                case AggregateExpr a:
                    stack.Push((a.Expr, depth + 1));
                    if (a.Param is not null)
                    {
                        stack.Push((a.Param, depth + 1));
                    }
                    break;
                case Call c:
                    foreach (var arg in c.Args)
                    {
                        stack.Push((arg, depth + 1));
                    }
                    break;
            }
        }
        return max;
    }

    // ----- Token plumbing -----

    private Token Advance()
    {
        var current = _tok;
        if (_hasNext)
        {
            _tok = _next;
            _hasNext = false;
        }
        else
        {
            _tok = _lexer.Next();
        }
        return current;
    }

    private Token PeekNext()
    {
        if (!_hasNext)
        {
            _next = _tok.Kind is TokenKind.Eof or TokenKind.Error ? _tok : _lexer.Next();
            _hasNext = true;
        }
        return _next;
    }

    private ReadOnlySpan<char> Text(Token token) => _input.AsSpan(token.Start, token.Length);

    private static PositionRange Range(Token token) => new(token.Start, token.End);

    private void RecordParse(PositionRange pos, string message) => _parseError ??= (pos, message);

    private void RecordType(PositionRange pos, string message) => _typeError ??= (pos, message);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(PositionRange pos, string message)
    {
        RecordParse(pos, message);
        throw new SyntaxError();
    }

    /// <summary>Prometheus' <c>unexpected(context, expected)</c>; lexer errors are reported as they are.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Unexpected(string? context = null, string? expected = null)
    {
        if (_tok.Kind == TokenKind.Error)
        {
            Fail(Range(_tok), _lexer.ErrorMessage);
        }
        var message = "unexpected " + TokenKinds.Describe(_tok, _input);
        if (context is not null)
        {
            message += " in " + context;
        }
        if (expected is not null)
        {
            message += ", expected " + expected;
        }
        Fail(Range(_tok), message);
    }

    private Token Expect(TokenKind kind, string? context, string? expected)
    {
        if (_tok.Kind != kind)
        {
            Unexpected(context, expected);
        }
        return Advance();
    }

    private void Enter()
    {
        if (++_nesting > PromQLParser.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Fail(Range(_tok), $"expression nesting exceeds the maximum depth of {PromQLParser.MaxDepth}");
        }
        if (_nesting > _maxNesting)
        {
            _maxNesting = _nesting;
        }
    }

    private void Exit() => _nesting--;

    // ----- Expressions -----

    private Expr ParseRoot()
    {
        if (_tok.Kind == TokenKind.Eof)
        {
            Fail(Range(_tok), "no expression found in input");
        }
        var expr = ParseExpr(0);
        if (_tok.Kind != TokenKind.Eof)
        {
            Unexpected();
        }
        return expr;
    }

    private static int Precedence(TokenKind kind) => kind switch
    {
        TokenKind.LOr => 1,
        TokenKind.LAnd or TokenKind.LUnless => 2,
        TokenKind.EqlC or TokenKind.Neq or TokenKind.Lss or TokenKind.Lte or TokenKind.Gtr or TokenKind.Gte => 3,
        TokenKind.Add or TokenKind.Sub => 4,
        TokenKind.Mul or TokenKind.Div or TokenKind.Mod or TokenKind.Atan2 => 5,
        TokenKind.Pow => 6,
        _ => -1,
    };

    private const int PowPrecedence = 6;

    private static BinaryOperator ToBinary(TokenKind kind) => kind switch
    {
        TokenKind.Add => BinaryOperator.Add,
        TokenKind.Sub => BinaryOperator.Sub,
        TokenKind.Mul => BinaryOperator.Mul,
        TokenKind.Div => BinaryOperator.Div,
        TokenKind.Mod => BinaryOperator.Mod,
        TokenKind.Pow => BinaryOperator.Pow,
        TokenKind.Atan2 => BinaryOperator.Atan2,
        TokenKind.EqlC => BinaryOperator.Eql,
        TokenKind.Neq => BinaryOperator.Neq,
        TokenKind.Gtr => BinaryOperator.Gtr,
        TokenKind.Lss => BinaryOperator.Lss,
        TokenKind.Gte => BinaryOperator.Gte,
        TokenKind.Lte => BinaryOperator.Lte,
        TokenKind.LAnd => BinaryOperator.And,
        TokenKind.LOr => BinaryOperator.Or,
        _ => BinaryOperator.Unless,
    };

    private Expr ParseExpr(int minPrecedence)
    {
        Enter();
        var lhs = ParseUnary();
        var chain = 0;
        while (true)
        {
            var precedence = Precedence(_tok.Kind);
            if (precedence < 0 || precedence < minPrecedence)
            {
                break;
            }
            if (_nesting + ++chain > PromQLParser.MaxDepth)
            {
                Fail(Range(_tok), $"expression nesting exceeds the maximum depth of {PromQLParser.MaxDepth}");
            }
            var opToken = Advance();
            var op = ToBinary(opToken.Kind);
            var returnBool = false;
            if (_tok.Kind == TokenKind.Bool)
            {
                Advance();
                returnBool = true;
            }
            VectorMatching? matching = null;
            if (_tok.Kind is TokenKind.On or TokenKind.Ignoring)
            {
                var on = Advance().Kind == TokenKind.On;
                var matchingLabels = ParseLabelList();
                var card = VectorMatchCardinality.OneToOne;
                EquatableArray<string> include = default;
                if (_tok.Kind is TokenKind.GroupLeft or TokenKind.GroupRight)
                {
                    card = Advance().Kind == TokenKind.GroupLeft ? VectorMatchCardinality.ManyToOne : VectorMatchCardinality.OneToMany;
                    if (_tok.Kind == TokenKind.LeftParen)
                    {
                        include = ParseLabelList();
                    }
                }
                matching = new VectorMatching(card, matchingLabels, on, include);
            }
            var rhs = ParseExpr(op == BinaryOperator.Pow ? precedence : precedence + 1);
            lhs = MakeBinary(op, opToken, lhs, rhs, matching, returnBool);
            _chainNodes++;
        }
        Exit();
        return lhs;
    }

    private Expr MakeBinary(BinaryOperator op, Token opToken, Expr lhs, Expr rhs, VectorMatching? matching, bool returnBool)
    {
        var position = PositionRange.Merge(lhs.Position, rhs.Position);
        var opRange = Range(opToken);
        var isComparison = op is BinaryOperator.Eql or BinaryOperator.Neq or BinaryOperator.Gtr or BinaryOperator.Lss or BinaryOperator.Gte or BinaryOperator.Lte;
        var isSet = op is BinaryOperator.And or BinaryOperator.Or or BinaryOperator.Unless;
        var lt = lhs.Type;
        var rt = rhs.Type;
        if (returnBool && !isComparison)
        {
            RecordType(opRange, "bool modifier can only be used on comparison operators");
        }
        if (isComparison && !returnBool && lt == PromQLValueType.Scalar && rt == PromQLValueType.Scalar)
        {
            RecordType(opRange, "comparisons between scalars must use BOOL modifier");
        }
        if (matching is null)
        {
            matching = isSet ? s_manyToMany : s_oneToOne;
        }
        else if (isSet && matching.Cardinality == VectorMatchCardinality.OneToOne)
        {
            matching = matching with { Cardinality = VectorMatchCardinality.ManyToMany };
        }
        if (matching.On)
        {
            foreach (var l1 in matching.MatchingLabels)
            {
                foreach (var l2 in matching.Include)
                {
                    if (l1 == l2)
                    {
                        RecordType(opRange, $"label {GoQuote.Quote(l1)} must not occur in ON and GROUP clause at once");
                    }
                }
            }
        }
        if (lt is not (PromQLValueType.Scalar or PromQLValueType.InstantVector))
        {
            RecordType(lhs.Position, "binary expression must contain only scalar and instant vector types");
        }
        if (rt is not (PromQLValueType.Scalar or PromQLValueType.InstantVector))
        {
            RecordType(rhs.Position, "binary expression must contain only scalar and instant vector types");
        }
        VectorMatching? finalMatching = matching;
        if (lt != PromQLValueType.InstantVector || rt != PromQLValueType.InstantVector)
        {
            if (matching.MatchingLabels.Count > 0)
            {
                RecordType(position, "vector matching only allowed between instant vectors");
            }
            finalMatching = null;
        }
        else if (isSet)
        {
            if (matching.Cardinality is VectorMatchCardinality.OneToMany or VectorMatchCardinality.ManyToOne)
            {
                RecordType(position, $"no grouping allowed for \"{OperatorText(op)}\" operation");
            }
        }
        if ((lt == PromQLValueType.Scalar || rt == PromQLValueType.Scalar) && isSet)
        {
            RecordType(position, $"set operator \"{OperatorText(op)}\" not allowed in binary scalar expression");
        }
        return new BinaryExpr(op, lhs, rhs, finalMatching, returnBool) { Position = position };
    }

    internal static string OperatorText(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Sub => "-",
        BinaryOperator.Mul => "*",
        BinaryOperator.Div => "/",
        BinaryOperator.Mod => "%",
        BinaryOperator.Pow => "^",
        BinaryOperator.Atan2 => "atan2",
        BinaryOperator.Eql => "==",
        BinaryOperator.Neq => "!=",
        BinaryOperator.Gtr => ">",
        BinaryOperator.Lss => "<",
        BinaryOperator.Gte => ">=",
        BinaryOperator.Lte => "<=",
        BinaryOperator.And => "and",
        BinaryOperator.Or => "or",
        _ => "unless",
    };

    private Expr ParseUnary()
    {
        if (_tok.Kind is TokenKind.Add or TokenKind.Sub)
        {
            var opToken = Advance();
            var operand = ParseExpr(PowPrecedence);
            var position = new PositionRange(opToken.Start, operand.Position.End);
            if (operand is NumberLiteral number)
            {
                return new NumberLiteral(opToken.Kind == TokenKind.Sub ? -number.Value : number.Value) { Position = position };
            }
            if (operand.Type is not (PromQLValueType.Scalar or PromQLValueType.InstantVector))
            {
                RecordType(position, $"unary expression only allowed on expressions of type scalar or instant vector, got \"{DocumentedType(operand.Type)}\"");
            }
            return new UnaryExpr(opToken.Kind == TokenKind.Sub ? UnaryOperator.Negate : UnaryOperator.Plus, operand) { Position = position };
        }
        return ParsePostfix();
    }

    internal static string DocumentedType(PromQLValueType type) => type switch
    {
        PromQLValueType.Scalar => "scalar",
        PromQLValueType.InstantVector => "instant vector",
        PromQLValueType.RangeVector => "range vector",
        _ => "string",
    };

    private static string ValueTypeName(PromQLValueType type) => type switch
    {
        PromQLValueType.Scalar => "scalar",
        PromQLValueType.InstantVector => "vector",
        PromQLValueType.RangeVector => "matrix",
        _ => "string",
    };

    private Expr ParsePostfix()
    {
        var expr = ParsePrimary();
        while (true)
        {
            switch (_tok.Kind)
            {
                case TokenKind.LeftBracket:
                    expr = ParseRangeOrSubquery(expr);
                    _chainNodes++;
                    break;
                case TokenKind.Offset:
                    expr = ParseOffset(expr);
                    break;
                case TokenKind.At:
                    expr = ParseAt(expr);
                    break;
                default:
                    return expr;
            }
        }
    }

    private long ParseDurationToken(Token token, bool allowZero = false)
    {
        if (!DurationParser.TryParse(Text(token), out var ms))
        {
            RecordParse(Range(token), "not a valid duration string: " + GoQuote.Quote(Text(token)));
            return 1;
        }
        if (ms == 0 && !allowZero)
        {
            RecordParse(Range(token), "duration must be greater than 0");
            return 1;
        }
        return ms;
    }

    private Expr ParseRangeOrSubquery(Expr expr)
    {
        var open = Advance();
        if (_tok.Kind != TokenKind.Duration)
        {
            Unexpected("subquery or range", "duration");
        }
        var rangeToken = Advance();
        var range = TimeSpan.FromMilliseconds(ParseDurationToken(rangeToken));
        if (_tok.Kind == TokenKind.RightBracket)
        {
            var close = Advance();
            var position = new PositionRange(expr.Position.Start, close.End);
            if (expr is not VectorSelector vs)
            {
                RecordParse(new PositionRange(open.Start, close.End), "ranges only allowed for vector selectors");
                return new MatrixSelector(new VectorSelector("", default), range) { Position = position };
            }
            if (vs.Offset != TimeSpan.Zero)
            {
                RecordParse(new PositionRange(open.Start, close.End), "no offset modifiers allowed before range");
            }
            if (vs.At is not null)
            {
                RecordParse(new PositionRange(open.Start, close.End), "no @ modifiers allowed before range");
            }
            return new MatrixSelector(vs, range) { Position = position };
        }
        if (_tok.Kind != TokenKind.Colon)
        {
            Unexpected("subquery or range selector", "\":\" or \"]\"");
        }
        Advance();
        var step = TimeSpan.Zero;
        if (_tok.Kind == TokenKind.Duration)
        {
            step = TimeSpan.FromMilliseconds(ParseDurationToken(Advance()));
        }
        var end = Expect(TokenKind.RightBracket, "subquery selector", "duration or \"]\"");
        var subPosition = new PositionRange(expr.Position.Start, end.End);
        if (expr.Type != PromQLValueType.InstantVector)
        {
            RecordType(subPosition, $"subquery is only allowed on instant vector, got {ValueTypeName(expr.Type)} instead");
        }
        return new SubqueryExpr(expr, range, step) { Position = subPosition };
    }

    private Expr ParseOffset(Expr expr)
    {
        var offsetToken = Advance();
        var negative = false;
        if (_tok.Kind == TokenKind.Sub)
        {
            Advance();
            negative = true;
        }
        if (_tok.Kind != TokenKind.Duration)
        {
            Unexpected("offset", "duration");
        }
        var durationToken = Advance();
        var ms = ParseDurationToken(durationToken);
        var offset = TimeSpan.FromMilliseconds(negative ? -ms : ms);
        var position = new PositionRange(expr.Position.Start, durationToken.End);
        _ = offsetToken;
        switch (expr)
        {
            case VectorSelector vs:
                if (vs.Offset != TimeSpan.Zero)
                {
                    RecordParse(expr.Position, "offset may not be set multiple times");
                }
                return vs with { Offset = offset, Position = position };
            case MatrixSelector ms2:
                if (ms2.VectorSelector.Offset != TimeSpan.Zero)
                {
                    RecordParse(expr.Position, "offset may not be set multiple times");
                }
                return ms2 with { VectorSelector = ms2.VectorSelector with { Offset = offset }, Position = position };
            case SubqueryExpr sq:
                if (sq.Offset != TimeSpan.Zero)
                {
                    RecordParse(expr.Position, "offset may not be set multiple times");
                }
                return sq with { Offset = offset, Position = position };
            default:
                RecordParse(expr.Position, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
                return expr;
        }
    }

    private Expr ParseAt(Expr expr)
    {
        Advance();
        AtModifier at;
        int end;
        if (_tok.Kind is TokenKind.Identifier && (Text(_tok) is "start" or "end"))
        {
            var which = Advance();
            Expect(TokenKind.LeftParen, "@", "timestamp");
            end = Expect(TokenKind.RightParen, "@", "\")\"").End;
            at = Text(which) is "start" ? AtModifier.Start : AtModifier.End;
        }
        else
        {
            var sign = 1.0;
            if (_tok.Kind is TokenKind.Add or TokenKind.Sub)
            {
                sign = Advance().Kind == TokenKind.Sub ? -1 : 1;
            }
            if (_tok.Kind != TokenKind.Number)
            {
                Unexpected("@", "timestamp");
            }
            var numberToken = Advance();
            end = numberToken.End;
            var ts = sign * ParseNumber(numberToken);
            if (double.IsInfinity(ts) || double.IsNaN(ts) || ts >= long.MaxValue || ts <= long.MinValue)
            {
                RecordParse(expr.Position, "timestamp out of bounds for @ modifier: " + FormatGoF(ts));
                ts = 0;
            }
            at = AtModifier.At((long)Math.Round(ts * 1000, MidpointRounding.AwayFromZero));
        }
        var position = new PositionRange(expr.Position.Start, end);
        const string multiple = "@ <timestamp> may not be set multiple times";
        switch (expr)
        {
            case VectorSelector vs:
                if (vs.At is not null)
                {
                    RecordParse(expr.Position, multiple);
                }
                return vs with { At = at, Position = position };
            case MatrixSelector ms:
                if (ms.VectorSelector.At is not null)
                {
                    RecordParse(expr.Position, multiple);
                }
                return ms with { VectorSelector = ms.VectorSelector with { At = at }, Position = position };
            case SubqueryExpr sq:
                if (sq.At is not null)
                {
                    RecordParse(expr.Position, multiple);
                }
                return sq with { At = at, Position = position };
            default:
                RecordParse(expr.Position, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
                return expr;
        }
    }

    private static string FormatGoF(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN"
        : value.ToString("F6", CultureInfo.InvariantCulture);

    private double ParseNumber(Token token)
    {
        var text = Text(token);
        if (text.Equals("inf", StringComparison.OrdinalIgnoreCase))
        {
            return double.PositiveInfinity;
        }
        if (text.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }
        if (NumberParser.TryParseInt(text, out var integer))
        {
            return integer;
        }
        if (NumberParser.TryParseFloat(text, out var value, out var problem))
        {
            return value;
        }
        RecordParse(Range(token), $"error parsing number: strconv.ParseFloat: parsing {GoQuote.Quote(text)}: {problem}");
        return 0;
    }

    private Expr ParsePrimary()
    {
        var token = _tok;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new NumberLiteral(ParseNumber(token)) { Position = Range(token) };
            case TokenKind.String:
                Advance();
                return new StringLiteral(Unquote(token)) { Position = Range(token) };
            case TokenKind.LeftParen:
            {
                Advance();
                var inner = ParseExpr(0);
                if (_tok.Kind != TokenKind.RightParen)
                {
                    Unexpected(null, null);
                }
                var close = Advance();
                return new ParenExpr(inner) { Position = new PositionRange(token.Start, close.End) };
            }
            case TokenKind.LeftBrace:
                return ParseSelector("", token.Start, token.Start);
            case TokenKind.Identifier:
                if (PeekNext().Kind == TokenKind.LeftParen)
                {
                    return ParseCall();
                }
                Advance();
                return ParseSelector(Text(token).ToString(), token.Start, token.End);
            case TokenKind.MetricIdentifier or TokenKind.By or TokenKind.Without or TokenKind.Offset or
                TokenKind.LAnd or TokenKind.LOr or TokenKind.LUnless:
                Advance();
                return ParseSelector(Text(token).ToString(), token.Start, token.End);
        }
        if (TokenKinds.IsAggregator(token.Kind))
        {
            if (PeekNext().Kind is TokenKind.LeftParen or TokenKind.By or TokenKind.Without)
            {
                return ParseAggregation();
            }
            Advance();
            return ParseSelector(Text(token).ToString(), token.Start, token.End);
        }
        Unexpected();
        return null!;
    }

    private string Unquote(Token token)
    {
        var value = StringUnquoter.Unquote(Text(token));
        if (value is null)
        {
            RecordParse(Range(token), "invalid UTF-8 in string literal");
            return "";
        }
        return value;
    }

    // ----- Selectors -----

    private VectorSelector ParseSelector(string name, int start, int end)
    {
        var mark = _matchers.Count;
        if (_tok.Kind == TokenKind.LeftBrace)
        {
            Advance();
            while (_tok.Kind != TokenKind.RightBrace)
            {
                _matchers.Add(ParseMatcher(allowBareName: true));
                if (_tok.Kind == TokenKind.Comma)
                {
                    Advance();
                }
                else if (_tok.Kind != TokenKind.RightBrace)
                {
                    Unexpected("label matching", "\",\" or \"}\"");
                }
            }
            end = Advance().End;
        }
        var position = new PositionRange(start, end);
        if (name.Length > 0)
        {
            for (var i = mark; i < _matchers.Count; i++)
            {
                if (_matchers[i].Name == MetricName)
                {
                    RecordType(position, $"metric name must not be set twice: {GoQuote.Quote(name)} or {GoQuote.Quote(_matchers[i].Value)}");
                }
            }
            _matchers.Add(new LabelMatcher(LabelMatchType.Equal, MetricName, name));
        }
        else
        {
            var nonEmpty = false;
            for (var i = mark; i < _matchers.Count && !nonEmpty; i++)
            {
                nonEmpty = !_matchers[i].Matches("");
            }
            if (!nonEmpty)
            {
                RecordType(position, "vector selector must contain at least one non-empty matcher");
            }
        }
        var count = _matchers.Count - mark;
        var array = new LabelMatcher[count];
        _matchers.CopyTo(mark, array, 0, count);
        _matchers.RemoveRange(mark, count);
        return new VectorSelector(name, array) { Position = position };
    }

    private LabelMatcher ParseMatcher(bool allowBareName)
    {
        var nameToken = _tok;
        string name;
        if (nameToken.Kind == TokenKind.Identifier)
        {
            name = Text(nameToken).ToString();
        }
        else if (nameToken.Kind == TokenKind.String)
        {
            name = Unquote(nameToken);
        }
        else
        {
            Unexpected("label matching", "identifier or \"}\"");
            return null!;
        }
        Advance();
        LabelMatchType type;
        switch (_tok.Kind)
        {
            case TokenKind.Eql: type = LabelMatchType.Equal; break;
            case TokenKind.Neq: type = LabelMatchType.NotEqual; break;
            case TokenKind.EqlRegex: type = LabelMatchType.Regex; break;
            case TokenKind.NeqRegex: type = LabelMatchType.NotRegex; break;
            default:
                if (allowBareName && nameToken.Kind == TokenKind.String && _tok.Kind is TokenKind.Comma or TokenKind.RightBrace)
                {
                    return new LabelMatcher(LabelMatchType.Equal, MetricName, name);
                }
                Unexpected("label matching", "label matching operator");
                return null!;
        }
        Advance();
        if (_tok.Kind != TokenKind.String)
        {
            Unexpected("label matching", "string");
        }
        var valueToken = Advance();
        var value = Unquote(valueToken);
        if (!LabelMatcher.TryCreate(type, name, value, out var matcher, out var error))
        {
            RecordParse(new PositionRange(nameToken.Start, valueToken.End), error!);
            return new LabelMatcher(LabelMatchType.Equal, name, value);
        }
        return matcher!;
    }

    private EquatableArray<string> ParseLabelList()
    {
        Expect(TokenKind.LeftParen, "grouping opts", "\"(\"");
        var mark = _labels.Count;
        while (_tok.Kind != TokenKind.RightParen)
        {
            if (TokenKinds.IsWord(_tok.Kind))
            {
                _labels.Add(Text(Advance()).ToString());
            }
            else if (_tok.Kind == TokenKind.String)
            {
                _labels.Add(Unquote(Advance()));
            }
            else
            {
                Unexpected("grouping opts", "label");
            }
            if (_tok.Kind == TokenKind.Comma)
            {
                Advance();
            }
            else if (_tok.Kind != TokenKind.RightParen)
            {
                Unexpected("grouping opts", "\",\" or \")\"");
            }
        }
        _lastLabelListEnd = Advance().End;
        var count = _labels.Count - mark;
        if (count == 0)
        {
            return default;
        }
        var array = new string[count];
        _labels.CopyTo(mark, array, 0, count);
        _labels.RemoveRange(mark, count);
        return array;
    }

    // ----- Calls and aggregations -----

    private EquatableArray<Expr> ParseArgs(string? context)
    {
        Expect(TokenKind.LeftParen, context, null);
        var mark = _args.Count;
        if (_tok.Kind != TokenKind.RightParen)
        {
            while (true)
            {
                _args.Add(ParseExpr(0));
                if (_tok.Kind == TokenKind.Comma)
                {
                    var comma = Advance();
                    if (_tok.Kind == TokenKind.RightParen)
                    {
                        Fail(Range(comma), "trailing commas not allowed in function call args");
                    }
                    continue;
                }
                if (_tok.Kind != TokenKind.RightParen)
                {
                    Unexpected(context, null);
                }
                break;
            }
        }
        _lastClose = Advance().End;
        var count = _args.Count - mark;
        if (count == 0)
        {
            return default;
        }
        var array = new Expr[count];
        _args.CopyTo(mark, array, 0, count);
        _args.RemoveRange(mark, count);
        return array;
    }

    private int _lastClose;

    private Expr ParseCall()
    {
        var nameToken = Advance();
        var name = Text(nameToken);
        if (!PromQLFunctions.TryGetSpan(name, out var function))
        {
            RecordParse(Range(nameToken), "unknown function with name " + GoQuote.Quote(name));
            function = new PromQLFunction(name.ToString(), default, -1, PromQLValueType.InstantVector);
        }
        var args = ParseArgs(null);
        var position = new PositionRange(nameToken.Start, _lastClose);
        CheckCall(function!, args, position);
        return new Call(function!, args) { Position = position };
    }

    private void CheckCall(PromQLFunction function, EquatableArray<Expr> args, PositionRange position)
    {
        var nargs = function.ArgTypes.Count;
        if (function.Variadic == 0)
        {
            if (nargs != args.Count)
            {
                RecordType(position, $"expected {nargs} argument(s) in call to {GoQuote.Quote(function.Name)}, got {args.Count}");
            }
        }
        else
        {
            var na = nargs - 1;
            if (na > args.Count)
            {
                RecordType(position, $"expected at least {na} argument(s) in call to {GoQuote.Quote(function.Name)}, got {args.Count}");
            }
            else if (function.Variadic > 0 && na + function.Variadic < args.Count)
            {
                RecordType(position, $"expected at most {na + function.Variadic} argument(s) in call to {GoQuote.Quote(function.Name)}, got {args.Count}");
            }
        }
        for (var i = 0; i < args.Count; i++)
        {
            var typeIndex = i;
            if (typeIndex >= nargs)
            {
                if (function.Variadic != -1 || nargs == 0)
                {
                    break;
                }
                typeIndex = nargs - 1;
            }
            if (args[i].Type != function.ArgTypes[typeIndex])
            {
                ExpectType(args[i], function.ArgTypes[typeIndex], "call to function " + GoQuote.Quote(function.Name));
            }
        }
    }

    private void ExpectType(Expr expr, PromQLValueType want, string context)
    {
        if (expr.Type != want && _typeError is null)
        {
            RecordType(expr.Position, $"expected type {DocumentedType(want)} in {context}, got {DocumentedType(expr.Type)}");
        }
    }

    private static AggregationOperator ToAggregation(TokenKind kind) => kind switch
    {
        TokenKind.Sum => AggregationOperator.Sum,
        TokenKind.Avg => AggregationOperator.Avg,
        TokenKind.Count => AggregationOperator.Count,
        TokenKind.Min => AggregationOperator.Min,
        TokenKind.Max => AggregationOperator.Max,
        TokenKind.Group => AggregationOperator.Group,
        TokenKind.Stddev => AggregationOperator.Stddev,
        TokenKind.Stdvar => AggregationOperator.Stdvar,
        TokenKind.Topk => AggregationOperator.Topk,
        TokenKind.Bottomk => AggregationOperator.Bottomk,
        TokenKind.CountValues => AggregationOperator.CountValues,
        TokenKind.Quantile => AggregationOperator.Quantile,
        TokenKind.Limitk => AggregationOperator.Limitk,
        _ => AggregationOperator.LimitRatio,
    };

    internal static bool HasParam(AggregationOperator op) =>
        op is AggregationOperator.Topk or AggregationOperator.Bottomk or AggregationOperator.CountValues or
            AggregationOperator.Quantile or AggregationOperator.Limitk or AggregationOperator.LimitRatio;

    private Expr ParseAggregation()
    {
        var opToken = Advance();
        var op = ToAggregation(opToken.Kind);
        EquatableArray<string> grouping = default;
        var without = false;
        var hasModifier = false;
        if (_tok.Kind is TokenKind.By or TokenKind.Without)
        {
            without = Advance().Kind == TokenKind.Without;
            grouping = ParseLabelList();
            hasModifier = true;
        }
        var args = ParseArgs("aggregation");
        var end = _lastClose;
        if (!hasModifier && _tok.Kind is TokenKind.By or TokenKind.Without)
        {
            without = Advance().Kind == TokenKind.Without;
            grouping = ParseLabelList();
            end = _lastLabelListEnd;
        }
        var position = new PositionRange(opToken.Start, end);
        if (args.Count == 0)
        {
            RecordParse(position, "no arguments for aggregate expression provided");
            return new AggregateExpr(op, new NumberLiteral(0), null, grouping, without) { Position = position };
        }
        var desired = HasParam(op) ? 2 : 1;
        if (args.Count != desired)
        {
            RecordParse(position, $"wrong number of arguments for aggregate expression provided, expected {desired}, got {args.Count}");
            return new AggregateExpr(op, args[0], null, grouping, without) { Position = position };
        }
        var expr = args[desired - 1];
        var param = desired == 2 ? args[0] : null;
        ExpectType(expr, PromQLValueType.InstantVector, "aggregation expression");
        if (param is not null)
        {
            ExpectType(param, op == AggregationOperator.CountValues ? PromQLValueType.String : PromQLValueType.Scalar, "aggregation parameter");
        }
        return new AggregateExpr(op, expr, param, grouping, without) { Position = position };
    }

    private int _lastLabelListEnd;
}
