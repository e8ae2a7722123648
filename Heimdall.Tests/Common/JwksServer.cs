using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Heimdall.Tests.Common;

/// <summary>An identity provider's JWKS endpoint on loopback whose keys the test can rotate; counts fetches.</summary>
internal sealed class JwksServer : IAsyncDisposable
{
    private LoopbackServer? _server;
    private volatile string _jwks;
    private int _requests;

    private JwksServer(string jwks) => _jwks = jwks;

    public Uri JwksUrl => new(_server!.Address, "/jwks");

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<JwksServer> StartAsync(params TestSigningKey[] keys)
    {
        var server = new JwksServer(TestSigningKey.Jwks(keys));
        server._server = await LoopbackServer.StartAsync(app => app.MapGet("/jwks", (HttpContext ctx) =>
        {
            Interlocked.Increment(ref server._requests);
            return server.Failing ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Text(server._jwks, "application/json");
        }));
        return server;
    }

    /// <summary>True: answers 503 (the identity provider is down) until set back to false.</summary>
    public bool Failing { get; set; }

    /// <summary>Serves <paramref name="keys"/> from now on.</summary>
    public void Serve(params TestSigningKey[] keys) => _jwks = TestSigningKey.Jwks(keys);

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
