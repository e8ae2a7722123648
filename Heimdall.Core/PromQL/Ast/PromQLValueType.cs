namespace Heimdall.Core.PromQL.Ast;

/// <summary>The type an expression evaluates to.</summary>
public enum PromQLValueType
{
    /// <summary>A single floating-point number.</summary>
    Scalar,

    /// <summary>A set of series with one sample each (Prometheus' <c>vector</c>).</summary>
    InstantVector,

    /// <summary>A set of series with a range of samples each (Prometheus' <c>matrix</c>).</summary>
    RangeVector,

    /// <summary>A string (only as a function or aggregation argument).</summary>
    String,
}
