using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Printing;

/// <summary>
/// Prometheus' pretty printer (<c>prettier.go</c>, what <c>/api/v1/format_query</c> returns): a node whose single-line
/// form is longer than 100 bytes is split, its children indented two spaces per level.
/// </summary>
internal static class PromQLPrettyPrinter
{
    private const int MaxCharactersPerLine = 100;

    public static string Print(Expr expr)
    {
        var sb = new CharBuffer();
        Pretty(sb, expr, 0);
        return sb.ToString();
    }

    private static bool NeedsSplit(Expr expr) => PromQLPrinter.Utf8Length(expr) > MaxCharactersPerLine;

    private static void Indent(CharBuffer sb, int level)
    {
        for (var i = 0; i < level; i++)
        {
            sb.Append("  ");
        }
    }

    private static void Pretty(CharBuffer sb, Expr expr, int level)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expr)
        {
            case AggregateExpr a when NeedsSplit(a):
                Indent(sb, level);
                PromQLPrinter.WriteAggregateHead(sb, a);
                sb.Append("(\n");
                if (a.Param is not null)
                {
                    Pretty(sb, a.Param, level + 1);
                    sb.Append(",\n");
                }
                Pretty(sb, a.Expr, level + 1);
                sb.Append('\n');
                Indent(sb, level);
                sb.Append(')');
                return;
            case BinaryExpr b when NeedsSplit(b):
                Pretty(sb, b.Lhs, level + 1);
                sb.Append('\n');
                Indent(sb, level);
                PromQLPrinter.WriteBinaryOperator(sb, b);
                sb.Append('\n');
                Pretty(sb, b.Rhs, level + 1);
                return;
            case Call c when NeedsSplit(c):
                Indent(sb, level);
                sb.Append(c.Function.Name);
                sb.Append("(\n");
                for (var i = 0; i < c.Args.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(",\n");
                    }
                    Pretty(sb, c.Args[i], level + 1);
                }
                sb.Append('\n');
                Indent(sb, level);
                sb.Append(')');
                return;
            case ParenExpr p when NeedsSplit(p):
                Indent(sb, level);
                sb.Append("(\n");
                Pretty(sb, p.Expr, level + 1);
                sb.Append('\n');
                Indent(sb, level);
                sb.Append(')');
                return;
            case SubqueryExpr s:
                if (!NeedsSplit(s))
                {
                    // Prometheus prints an unsplit subquery without indentation.
                    PromQLPrinter.Write(sb, s);
                    return;
                }
                Pretty(sb, s.Expr, level);
                PromQLPrinter.WriteSubquerySuffix(sb, s);
                return;
            case UnaryExpr u:
            {
                Indent(sb, level);
                sb.Append(u.Operator == UnaryOperator.Negate ? '-' : '+');
                var child = new CharBuffer();
                Pretty(child, u.Expr, level);
                sb.Append(child.Written.Trim());
                return;
            }
            default:
                Indent(sb, level);
                PromQLPrinter.Write(sb, expr);
                return;
        }
    }
}
