namespace Heimdall.Core.PromQL.Ast;

/// <summary>Vector matching of a binary operator between two vectors: <c>on(...)</c> / <c>ignoring(...)</c> and <c>group_left(...)</c> / <c>group_right(...)</c>.</summary>
/// <param name="Cardinality">The cardinality.</param>
/// <param name="MatchingLabels">The labels of <c>on</c> / <c>ignoring</c>.</param>
/// <param name="On"><see langword="true"/> for <c>on</c>, <see langword="false"/> for <c>ignoring</c> (or none).</param>
/// <param name="Include">The extra labels of <c>group_left</c> / <c>group_right</c>.</param>
public sealed record VectorMatching(
    VectorMatchCardinality Cardinality,
    EquatableArray<string> MatchingLabels,
    bool On,
    EquatableArray<string> Include);
