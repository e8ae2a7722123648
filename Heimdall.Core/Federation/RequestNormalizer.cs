namespace Heimdall.Core.Federation;

/// <summary>
/// Turns the URL's and the form body's parameters into one <see cref="PrometheusRequestParameters"/> under an
/// endpoint's rules: unknown parameters, a single-valued parameter given twice, any parameter given both in
/// the URL and in the body, and missing required parameters are refused (400) rather than guessed.
/// </summary>
internal static class RequestNormalizer
{
    /// <summary>Normalizes; returns the parameters or an error message (for a 400).</summary>
    public static NormalizationResult Normalize(PrometheusEndpoint endpoint,
        IReadOnlyList<KeyValuePair<string, string>> urlParameters, IReadOnlyList<KeyValuePair<string, string>> bodyParameters)
    {
        var inUrl = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in urlParameters)
        {
            if (Check(endpoint, name, inUrl) is { } error)
            {
                return NormalizationResult.Fail(error);
            }
        }
        var inBody = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in bodyParameters)
        {
            if (inUrl.Contains(name))
            {
                return NormalizationResult.Fail($"parameter \"{name}\" is given both in the URL and in the body");
            }
            if (Check(endpoint, name, inBody) is { } error)
            {
                return NormalizationResult.Fail(error);
            }
        }
        foreach (var required in endpoint.RequiredParameters)
        {
            var present = false;
            foreach (var list in (ReadOnlySpan<IReadOnlyList<KeyValuePair<string, string>>>)[urlParameters, bodyParameters])
            {
                foreach (var (name, value) in list)
                {
                    if (name == required && value.Length > 0)
                    {
                        present = true;
                    }
                }
            }
            if (!present)
            {
                return NormalizationResult.Fail($"missing required parameter \"{required}\"");
            }
        }
        return NormalizationResult.Success(PrometheusRequestParameters.Create(urlParameters.Concat(bodyParameters)));
    }

    private static string? Check(PrometheusEndpoint endpoint, string name, HashSet<string> seen)
    {
        if (!endpoint.Allows(name))
        {
            return $"unknown parameter \"{name}\" for {endpoint.Path}";
        }
        if (!seen.Add(name) && endpoint.SingleParameters.Contains(name))
        {
            return $"parameter \"{name}\" is given more than once";
        }
        return null;
    }
}
