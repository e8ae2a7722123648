using Microsoft.Extensions.DependencyInjection;

namespace Heimdall.AspNetCore;

/// <summary>Returned by <c>AddHeimdall()</c> to chain further configuration (<c>.UseSqlite(...)</c>, <c>.UseOpa(...)</c>).</summary>
public interface IHeimdallBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
