namespace Heimdall.Tests.Common;

/// <summary>xunit fixture sharing one default <see cref="PrometheusServer"/> per test class or collection.</summary>
public sealed class PrometheusServerFixture : IAsyncLifetime
{
    private PrometheusServer? _server;

    internal PrometheusServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await PrometheusServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
