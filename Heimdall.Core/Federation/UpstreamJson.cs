using System.Text.Json;

namespace Heimdall.Core.Federation;

/// <summary>
/// Checks that an upstream answer passed on unmerged is one complete JSON object, so a body the upstream broke
/// off or garbled is refused (502 naming the tenant) instead of reaching the client half-written.
/// </summary>
internal static class UpstreamJson
{
    /// <summary>Null when <paramref name="response"/>'s body is one complete JSON object; else why not, naming the tenant.</summary>
    public static string? Check(in TenantResponse response)
    {
        var reader = new Utf8JsonReader(response.Body.Span, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return $"tenant {response.TenantNames}: upstream response is not a JSON object";
            }
            reader.Skip();
            if (reader.Read())
            {
                return $"tenant {response.TenantNames}: invalid JSON from upstream: data after the end of the object";
            }
            return null;
        }
        catch (JsonException ex)
        {
            return $"tenant {response.TenantNames}: invalid JSON from upstream: {ex.Message}";
        }
    }
}
