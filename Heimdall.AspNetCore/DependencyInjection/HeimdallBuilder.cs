using Microsoft.Extensions.DependencyInjection;

namespace Heimdall.AspNetCore.DependencyInjection;

internal sealed class HeimdallBuilder(IServiceCollection services) : IHeimdallBuilder
{
    public IServiceCollection Services { get; } = services;
}
