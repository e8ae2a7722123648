using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Functions;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>
/// Adds a grant's matchers to every selector of a query (DESIGN §4). One alternative: appended to each selector.
/// Several: an instant selector <c>s</c> becomes <c>(s{A} or s{B})</c>; a call with a range selector argument
/// <c>f(s[5m])</c> becomes <c>(f(s{A}[5m]) or f(s{B}[5m]))</c>; subqueries are rewritten inside; <c>absent</c>,
/// <c>absent_over_time</c> and <c>timestamp</c> of a selector are rewritten so their output stays what it is on the
/// permitted data.
/// </summary>
internal sealed class InjectionRewriter : PromQLRewriter
{
    /// <summary>A temporary label that carries <c>__name__</c> through <c>or</c>, which ignores metric names when matching.</summary>
    internal const string NameCarrier = "__heimdall_name__";

    private static readonly VectorMatching s_orMatching = new(VectorMatchCardinality.ManyToMany, [], false, []);
    private static readonly VectorMatching s_andOnMatching = new(VectorMatchCardinality.ManyToMany, [], true, []);

    private readonly Grant _grant;
    private readonly bool _strict;
    private InjectionErrorKind _errorKind;
    private string? _error;

    public InjectionRewriter(Grant grant, InjectionOptions options)
    {
        _grant = grant;
        _strict = options.Strict;
    }

    public InjectionResult Rewrite(Expr expr)
    {
        var root = expr;
        while (root is ParenExpr p)
        {
            root = p.Expr;
        }
        Expr result;
        if (root is MatrixSelector matrix)
        {
            result = RewriteTopLevelMatrix(expr, matrix);
        }
        else
        {
            result = Visit(expr);
        }
        return _error is null ? InjectionResult.Success(result) : InjectionResult.Failure(_errorKind, _error);
    }

    public override Expr VisitVectorSelector(VectorSelector node)
    {
        var alternatives = Resolve(node);
        return alternatives switch
        {
            null or { Count: 0 } => node,
            { Count: 1 } => With(node, alternatives[0]),
            _ => Or(Branches(alternatives, a => With(node, a)), HasFixedName(node)),
        };
    }

    public override Expr VisitMatrixSelector(MatrixSelector node)
    {
        // Reached only for a range selector that is not a direct call argument (calls handle theirs).
        var alternatives = Resolve(node.VectorSelector);
        return alternatives switch
        {
            null or { Count: 0 } => node,
            { Count: 1 } => node with { VectorSelector = With(node.VectorSelector, alternatives[0]) },
            _ => Refuse(node),
        };
    }

    public override Expr VisitCall(Call node)
    {
        var name = node.Function.Name;
        if (name == "absent" && node.Args.Count == 1 && node.Args[0] is VectorSelector vs)
        {
            return RewriteAbsent(node, vs, vs, a => node with { Args = [With(vs, a)] });
        }
        if (name == "absent_over_time" && node.Args.Count == 1 && node.Args[0] is MatrixSelector ms)
        {
            return RewriteAbsent(node, ms.VectorSelector, ms, a => node with { Args = [ms with { VectorSelector = With(ms.VectorSelector, a) }] });
        }

        // A call whose result depends on the selector node itself (range functions on a range selector; timestamp,
        // whose output is the sample time only for a selector argument; info's data selector) is duplicated per alternative.
        var selectorArg = -1;
        for (var i = 0; i < node.Args.Count; i++)
        {
            var arg = Unparen(node.Args[i]);
            if (arg is MatrixSelector || (arg is VectorSelector && (name == "timestamp" || (name == "info" && i == 1))))
            {
                selectorArg = i;
                break;
            }
        }
        if (selectorArg < 0)
        {
            return base.VisitCall(node);
        }

        var original = node.Args[selectorArg];
        var selector = Unparen(original) switch
        {
            MatrixSelector m => m.VectorSelector,
            VectorSelector v => v,
            _ => throw new InvalidOperationException("unreachable"),
        };
        var alternatives = Resolve(selector);
        var otherArgs = new Expr[node.Args.Count];
        for (var i = 0; i < node.Args.Count; i++)
        {
            otherArgs[i] = i == selectorArg ? node.Args[i] : Visit(node.Args[i]);
        }
        if (alternatives is null or { Count: 0 })
        {
            return node with { Args = otherArgs };
        }
        if (alternatives.Count > 1 && name == "info")
        {
            return Fail(InjectionErrorKind.Unsupported,
                $"info() cannot be restricted to {alternatives.Count} grant alternatives: its data selector {original} must stay one selector");
        }
        return alternatives.Count == 1
            ? CallWith(node, otherArgs, selectorArg, original, alternatives[0])
            : Or(Branches(alternatives, a => CallWith(node, otherArgs, selectorArg, original, a)), HasFixedName(selector));
    }

    private Expr RewriteTopLevelMatrix(Expr expr, MatrixSelector matrix)
    {
        var alternatives = Resolve(matrix.VectorSelector);
        if (alternatives is null or { Count: 0 })
        {
            return expr;
        }
        if (alternatives.Count > 1)
        {
            return Refuse(matrix);
        }
        return ReplaceInnermost(expr, matrix with { VectorSelector = With(matrix.VectorSelector, alternatives[0]) });
    }

    private Expr Refuse(MatrixSelector matrix) =>
        Fail(InjectionErrorKind.Unsupported,
            $"the range selector {matrix} cannot be restricted to the caller's grant exactly (it has several alternatives that do not merge into one selector); " +
            "query it through a function such as last_over_time() or a subquery instead");

    private static Expr ReplaceInnermost(Expr expr, Expr replacement) =>
        expr is ParenExpr p ? p with { Expr = ReplaceInnermost(p.Expr, replacement) } : replacement;

    private Expr RewriteAbsent(Call node, VectorSelector selector, Expr original, Func<IReadOnlyList<LabelMatcher>, Expr> withAlternative)
    {
        _ = original;
        var alternatives = Resolve(selector);
        if (alternatives is null or { Count: 0 })
        {
            return node;
        }
        var userLabels = AbsentLabels.Compute(selector.LabelMatchers);
        var sameLabels = alternatives.All(a => AbsentLabels.SameAs(userLabels, AbsentLabels.Compute(selector.LabelMatchers.Concat(a))));
        Expr? chain = null;
        if (!sameLabels)
        {
            // The labels absent() derives from the user's matchers, on a constant vector.
            Expr labelled = new Call(Function("vector"), [new NumberLiteral(1)]);
            foreach (var (label, value) in userLabels)
            {
                labelled = LabelReplace(labelled, label, value.Replace("$", "$$", StringComparison.Ordinal), "", "");
            }
            chain = labelled;
        }
        foreach (var a in alternatives)
        {
            var part = withAlternative(a);
            chain = chain is null ? part : new BinaryExpr(BinaryOperator.And, chain, part, s_andOnMatching, false);
        }
        return chain is BinaryExpr ? new ParenExpr(chain) : chain!;
    }

    private static Expr CallWith(Call node, Expr[] args, int index, Expr original, IReadOnlyList<LabelMatcher> alternative)
    {
        var copy = (Expr[])args.Clone();
        copy[index] = WithInParens(original, alternative);
        return node with { Args = copy };
    }

    private static Expr WithInParens(Expr expr, IReadOnlyList<LabelMatcher> alternative) => expr switch
    {
        ParenExpr p => p with { Expr = WithInParens(p.Expr, alternative) },
        MatrixSelector m => m with { VectorSelector = With(m.VectorSelector, alternative) },
        VectorSelector v => With(v, alternative),
        _ => throw new InvalidOperationException("unreachable"),
    };

    private static Expr Unparen(Expr expr)
    {
        while (expr is ParenExpr p)
        {
            expr = p.Expr;
        }
        return expr;
    }

    private IReadOnlyList<IReadOnlyList<LabelMatcher>>? Resolve(VectorSelector selector)
    {
        var alternatives = SelectorRestriction.Resolve(selector.LabelMatchers, _grant);
        if (alternatives is not null)
        {
            return alternatives;
        }
        if (_strict)
        {
            Fail(InjectionErrorKind.Forbidden, $"the selector {selector} asks only for label values outside the caller's grant {_grant}");
            return [];
        }
        // Every alternative contradicts the user's own matchers: adding any one of them makes the selector empty.
        return [_grant.Alternatives[0]];
    }

    private static VectorSelector With(VectorSelector selector, IReadOnlyList<LabelMatcher> alternative) => SelectorMatchers.Add(selector, alternative);

    private static bool HasFixedName(VectorSelector selector)
    {
        if (selector.Name.Length > 0)
        {
            return true;
        }
        foreach (var m in selector.LabelMatchers)
        {
            if (m.Name == "__name__" && m.Type == LabelMatchType.Equal)
            {
                return true;
            }
        }
        return false;
    }

    private static List<Expr> Branches(IReadOnlyList<IReadOnlyList<LabelMatcher>> alternatives, Func<IReadOnlyList<LabelMatcher>, Expr> build)
    {
        var list = new List<Expr>(alternatives.Count);
        foreach (var a in alternatives)
        {
            list.Add(build(a));
        }
        return list;
    }

    /// <summary>
    /// <c>(b1 or b2 or ...)</c>. <c>or</c> matches on all labels but <c>__name__</c>; when the branches may hold series
    /// of several metric names, the name is carried in a temporary label so two series that differ only in their name
    /// both survive, and the label is removed afterwards.
    /// </summary>
    private static Expr Or(List<Expr> branches, bool fixedName)
    {
        Expr? chain = null;
        foreach (var b in branches)
        {
            var branch = fixedName ? b : LabelReplace(b, NameCarrier, "$1", "__name__", "(.*)");
            chain = chain is null ? branch : new BinaryExpr(BinaryOperator.Or, chain, branch, s_orMatching, false);
        }
        Expr result = new ParenExpr(chain!);
        return fixedName ? result : LabelReplace(result, NameCarrier, "", "", "");
    }

    private static Call LabelReplace(Expr vector, string dst, string replacement, string src, string regex) =>
        new(Function("label_replace"), [vector, new StringLiteral(dst), new StringLiteral(replacement), new StringLiteral(src), new StringLiteral(regex)]);

    private static PromQLFunction Function(string name) =>
        PromQLFunctions.TryGet(name, out var f) ? f! : throw new InvalidOperationException("missing function " + name);

    private Expr Fail(InjectionErrorKind kind, string message)
    {
        if (_error is null)
        {
            _errorKind = kind;
            _error = message;
        }
        return new NumberLiteral(0);
    }
}
