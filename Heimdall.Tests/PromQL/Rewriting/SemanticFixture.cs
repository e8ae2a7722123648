namespace Heimdall.Tests.PromQL.Rewriting;

/// <summary>One Prometheus with every synthetic series and one per grant with only the permitted series.</summary>
public sealed class SemanticFixture : IAsyncLifetime
{
    private readonly Dictionary<string, BackfilledPrometheus> _permitted = new(StringComparer.Ordinal);
    private BackfilledPrometheus? _all;

    internal Uri All => _all!.BaseAddress;

    internal Uri Permitted(string grant) => _permitted[grant].BaseAddress;

    public async Task InitializeAsync()
    {
        _all = await BackfilledPrometheus.StartAsync("all", _ => true);
        foreach (var c in SemanticGrants.All)
        {
            _permitted[c.Name] = await BackfilledPrometheus.StartAsync(c.Name, c.Permits);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _permitted.Values)
        {
            await server.DisposeAsync();
        }
        if (_all is not null)
        {
            await _all.DisposeAsync();
        }
    }
}
