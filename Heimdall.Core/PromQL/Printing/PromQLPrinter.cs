using System.Globalization;
using System.Runtime.CompilerServices;
using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Core.PromQL.Printing;

/// <summary>
/// Prometheus' canonical single-line printer (<c>printer.go</c>): sorted matchers, the <c>__name__</c> matcher folded into
/// the metric name, <c>by</c>/<c>without</c> before the arguments, Go's number and duration formats.
/// Writes into a per-thread reusable buffer; the only allocation is the result string.
/// </summary>
internal static class PromQLPrinter
{
    private const string MetricName = "__name__";

    public static string Print(Expr expr)
    {
        var sb = CharBuffer.Rent();
        try
        {
            Write(sb, expr);
            return sb.ToString();
        }
        finally
        {
            CharBuffer.Return(sb);
        }
    }

    public static string PrintMatcher(LabelMatcher matcher)
    {
        var sb = CharBuffer.Rent();
        try
        {
            WriteMatcher(sb, matcher);
            return sb.ToString();
        }
        finally
        {
            CharBuffer.Return(sb);
        }
    }

    /// <summary>The UTF-8 length of the single-line form (the pretty printer's measure).</summary>
    public static int Utf8Length(Expr expr)
    {
        var sb = CharBuffer.Rent();
        try
        {
            Write(sb, expr);
            return System.Text.Encoding.UTF8.GetByteCount(sb.Written);
        }
        finally
        {
            CharBuffer.Return(sb);
        }
    }

    public static void Write(CharBuffer sb, Expr expr)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expr)
        {
            case NumberLiteral n:
                GoFloat.Append(sb, n.Value);
                break;
            case StringLiteral s:
                GoQuote.Append(sb, s.Value);
                break;
            case VectorSelector vs:
                WriteSelector(sb, vs, withModifiers: true);
                break;
            case MatrixSelector ms:
                WriteSelector(sb, ms.VectorSelector, withModifiers: false);
                sb.Append('[');
                DurationFormatter.Append(sb, ms.Range);
                sb.Append(']');
                WriteAtOffset(sb, ms.VectorSelector.At, ms.VectorSelector.Offset);
                break;
            case SubqueryExpr sq:
                Write(sb, sq.Expr);
                WriteSubquerySuffix(sb, sq);
                break;
            case ParenExpr p:
                sb.Append('(');
                Write(sb, p.Expr);
                sb.Append(')');
                break;
            case UnaryExpr u:
                sb.Append(u.Operator == UnaryOperator.Negate ? '-' : '+');
                Write(sb, u.Expr);
                break;
            case BinaryExpr b:
                Write(sb, b.Lhs);
                sb.Append(' ');
                WriteBinaryOperator(sb, b);
                sb.Append(' ');
                Write(sb, b.Rhs);
                break;
            case AggregateExpr a:
                WriteAggregateHead(sb, a);
                sb.Append('(');
                if (a.Param is not null)
                {
                    Write(sb, a.Param);
                    sb.Append(", ");
                }
                Write(sb, a.Expr);
                sb.Append(')');
                break;
            case Call c:
                sb.Append(c.Function.Name);
                sb.Append('(');
                for (var i = 0; i < c.Args.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }
                    Write(sb, c.Args[i]);
                }
                sb.Append(')');
                break;
            default:
                throw new InvalidOperationException("unknown PromQL node type " + expr.GetType().Name);
        }
    }

    /// <summary><c>op [bool] [on|ignoring (...)] [group_x (...)]</c>.</summary>
    public static void WriteBinaryOperator(CharBuffer sb, BinaryExpr b)
    {
        sb.Append(ExprParser.OperatorText(b.Operator));
        if (b.ReturnBool)
        {
            sb.Append(" bool");
        }
        var vm = b.Matching;
        if (vm is null)
        {
            return;
        }
        var grouped = vm.Cardinality is VectorMatchCardinality.ManyToOne or VectorMatchCardinality.OneToMany;
        if (vm.MatchingLabels.Count > 0 || vm.On || grouped)
        {
            sb.Append(vm.On ? " on (" : " ignoring (");
            WriteLabels(sb, vm.MatchingLabels);
            sb.Append(')');
        }
        if (grouped)
        {
            sb.Append(vm.Cardinality == VectorMatchCardinality.ManyToOne ? " group_left (" : " group_right (");
            WriteLabels(sb, vm.Include);
            sb.Append(')');
        }
    }

    /// <summary><c>sum</c>, <c>sum by (a) </c>, <c>sum without (a) </c> (with the trailing space, as Prometheus).</summary>
    public static void WriteAggregateHead(CharBuffer sb, AggregateExpr a)
    {
        sb.Append(AggregationName(a.Operator));
        if (a.Without)
        {
            sb.Append(" without (");
            WriteLabels(sb, a.Grouping);
            sb.Append(") ");
        }
        else if (a.Grouping.Count > 0)
        {
            sb.Append(" by (");
            WriteLabels(sb, a.Grouping);
            sb.Append(") ");
        }
    }

    public static string AggregationName(AggregationOperator op) => op switch
    {
        AggregationOperator.Sum => "sum",
        AggregationOperator.Avg => "avg",
        AggregationOperator.Count => "count",
        AggregationOperator.Min => "min",
        AggregationOperator.Max => "max",
        AggregationOperator.Group => "group",
        AggregationOperator.Stddev => "stddev",
        AggregationOperator.Stdvar => "stdvar",
        AggregationOperator.Topk => "topk",
        AggregationOperator.Bottomk => "bottomk",
        AggregationOperator.CountValues => "count_values",
        AggregationOperator.Quantile => "quantile",
        AggregationOperator.Limitk => "limitk",
        AggregationOperator.LimitRatio => "limit_ratio",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static void WriteSubquerySuffix(CharBuffer sb, SubqueryExpr sq)
    {
        sb.Append('[');
        DurationFormatter.Append(sb, sq.Range);
        sb.Append(':');
        if (sq.Step != TimeSpan.Zero)
        {
            DurationFormatter.Append(sb, sq.Step);
        }
        sb.Append(']');
        WriteAtOffset(sb, sq.At, sq.Offset);
    }

    private static void WriteLabels(CharBuffer sb, EquatableArray<string> labels)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            WriteLabelName(sb, labels[i]);
        }
    }

    private static void WriteLabelName(CharBuffer sb, string name)
    {
        if (IsLegacyLabelName(name))
        {
            sb.Append(name);
        }
        else
        {
            GoQuote.Append(sb, name);
        }
    }

    internal static bool IsLegacyLabelName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!(c == '_' || (c is >= 'a' and <= 'z') || (c is >= 'A' and <= 'Z') || (i > 0 && c is >= '0' and <= '9')))
            {
                return false;
            }
        }
        return true;
    }

    internal static bool IsLegacyMetricName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!(c == '_' || c == ':' || (c is >= 'a' and <= 'z') || (c is >= 'A' and <= 'Z') || (i > 0 && c is >= '0' and <= '9')))
            {
                return false;
            }
        }
        return true;
    }

    private static void WriteMatcher(CharBuffer sb, LabelMatcher m)
    {
        WriteLabelName(sb, m.Name);
        sb.Append(LabelMatcher.OperatorText(m.Type));
        GoQuote.Append(sb, m.Value);
    }

    private static void WriteSelector(CharBuffer sb, VectorSelector vs, bool withModifiers)
    {
        var name = vs.Name;
        var nameOutside = name.Length > 0 && IsLegacyMetricName(name);
        if (nameOutside)
        {
            sb.Append(name);
        }
        var matchers = vs.LabelMatchers;
        var count = 0;
        foreach (var m in matchers)
        {
            if (!IsFoldedName(m, name, nameOutside))
            {
                count++;
            }
        }
        if (count > 0)
        {
            sb.Append('{');
            if (count == 1)
            {
                foreach (var m in matchers)
                {
                    if (!IsFoldedName(m, name, nameOutside))
                    {
                        WriteMatcher(sb, m);
                    }
                }
            }
            else
            {
                WriteSortedMatchers(sb, matchers, name, nameOutside, count);
            }
            sb.Append('}');
        }
        if (withModifiers)
        {
            WriteAtOffset(sb, vs.At, vs.Offset);
        }
    }

    private static bool IsFoldedName(LabelMatcher m, string name, bool nameOutside) =>
        nameOutside && m.Type == LabelMatchType.Equal && m.Value.Length > 0 && string.Equals(m.Value, name, StringComparison.Ordinal) &&
        string.Equals(m.Name, MetricName, StringComparison.Ordinal);

    private static void WriteSortedMatchers(CharBuffer sb, EquatableArray<LabelMatcher> matchers, string name, bool nameOutside, int count)
    {
        // Print every matcher at the end of the buffer, then sort the printed texts (Prometheus sorts strings) and rewrite.
        var regionStart = sb.Length;
        Span<int> bounds = count <= 32 ? stackalloc int[(count * 2)] : new int[count * 2];
        var k = 0;
        foreach (var m in matchers)
        {
            if (IsFoldedName(m, name, nameOutside))
            {
                continue;
            }
            bounds[k * 2] = sb.Length;
            WriteMatcher(sb, m);
            bounds[(k * 2) + 1] = sb.Length;
            k++;
        }
        var total = sb.Length - regionStart;
        var copy = System.Buffers.ArrayPool<char>.Shared.Rent(total);
        try
        {
            sb.Written.Slice(regionStart, total).CopyTo(copy);
            Span<int> order = count <= 32 ? stackalloc int[count] : new int[count];
            for (var i = 0; i < count; i++)
            {
                order[i] = i;
            }
            for (var i = 1; i < count; i++)
            {
                var cur = order[i];
                var j = i - 1;
                while (j >= 0 && Segment(copy, bounds, regionStart, order[j]).SequenceCompareTo(Segment(copy, bounds, regionStart, cur)) > 0)
                {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = cur;
            }
            sb.Length = regionStart;
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }
                sb.Append(Segment(copy, bounds, regionStart, order[i]));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(copy);
        }
    }

    private static ReadOnlySpan<char> Segment(char[] copy, Span<int> bounds, int regionStart, int index) =>
        copy.AsSpan(bounds[index * 2] - regionStart, bounds[(index * 2) + 1] - bounds[index * 2]);

    private static void WriteAtOffset(CharBuffer sb, AtModifier? at, TimeSpan offset)
    {
        if (at is not null)
        {
            switch (at.Kind)
            {
                case AtModifierKind.Start:
                    sb.Append(" @ start()");
                    break;
                case AtModifierKind.End:
                    sb.Append(" @ end()");
                    break;
                default:
                    sb.Append(" @ ");
                    var span = sb.GetSpan(40);
                    (at.TimestampMilliseconds / 1000.0).TryFormat(span, out var written, "F3", CultureInfo.InvariantCulture);
                    sb.Length += written;
                    break;
            }
        }
        if (offset > TimeSpan.Zero)
        {
            sb.Append(" offset ");
            DurationFormatter.Append(sb, offset);
        }
        else if (offset < TimeSpan.Zero)
        {
            sb.Append(" offset -");
            DurationFormatter.Append(sb, -offset);
        }
    }
}
