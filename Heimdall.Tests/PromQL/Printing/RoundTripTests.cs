using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Functions;
using Heimdall.Core.PromQL.Parser;

using Heimdall.Tests.Common;

namespace Heimdall.Tests.PromQL.Printing;

/// <summary>Property: for generated well-typed trees, <c>Parse(Print(ast)) == ast</c> for both printers.</summary>
public sealed class RoundTripTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ParsePrint_RoundTrips_ForGeneratedTrees(int seed)
    {
        var generator = new PromQLTreeGenerator(new Random(seed));
        for (var i = 0; i < 1500; i++)
        {
            var ast = generator.Instant(4);
            var text = ast.ToString();
            Expr parsed;
            try
            {
                parsed = PromQLParser.Parse(text);
            }
            catch (PromQLParseException ex)
            {
                Assert.Fail($"printed tree does not parse: {text}\n{ex.Message}");
                throw;
            }
            Assert.True(ast.Equals(parsed), $"round trip changed the tree: {text}\nreprinted: {parsed}");
            Assert.Equal(ast, PromQLParser.Parse(ast.Pretty()));
        }
    }
}
