using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Functions;

/// <summary>A PromQL function's signature (functions are data, as in Prometheus' <c>functions.go</c>).</summary>
/// <param name="Name">The name.</param>
/// <param name="ArgTypes">Argument types; with <paramref name="Variadic"/> the last ones are optional.</param>
/// <param name="Variadic">0: exactly <paramref name="ArgTypes"/>; n &gt; 0: up to n trailing arguments optional; -1: the last type repeats without limit.</param>
/// <param name="ReturnType">The result type.</param>
/// <param name="Experimental">Only with Prometheus' <c>--enable-feature=promql-experimental-functions</c>.</param>
public sealed record PromQLFunction(string Name, EquatableArray<PromQLValueType> ArgTypes, int Variadic, PromQLValueType ReturnType, bool Experimental = false);
