using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Heimdall.Host.Serving;

/// <summary>
/// Heimdall serves two listeners from one app: the proxy (main) and the bundle/metrics/health listener.
/// Each Kestrel endpoint tags its connections; a middleware refuses endpoints mapped for the other listener,
/// so the admin API can never be reached on the bundle port, nor the bundle on the proxy port, whatever the
/// Host header says.
/// </summary>
internal sealed record Listener(string Name)
{
    public static Listener Main { get; } = new("main");
    public static Listener Bundle { get; } = new("bundle");

    private const string ItemKey = "heimdall.listener";

    /// <summary>Tags every connection accepted on <paramref name="options"/> with this listener.</summary>
    public void Tag(ListenOptions options) => options.Use(next => connection =>
    {
        connection.Items[ItemKey] = Name;
        return next(connection);
    });

    /// <summary>The listener a request arrived on (main when untagged).</summary>
    public static string Of(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var v) == true && v is string s ? s : Main.Name;

    /// <summary>Answers 404 for endpoints mapped to another listener than the request's.</summary>
    public static async Task UseListenerIsolationAsync(HttpContext context, RequestDelegate next)
    {
        var wanted = context.GetEndpoint()?.Metadata.GetMetadata<Listener>() ?? Main;
        if (wanted.Name != Of(context))
        {
            context.SetEndpoint(null);
            await Heimdall.AspNetCore.Http.PrometheusError.WriteAsync(context, StatusCodes.Status404NotFound,
                $"{context.Request.Path} is not served on the {Of(context)} listener");
            return;
        }
        await next(context);
    }
}
