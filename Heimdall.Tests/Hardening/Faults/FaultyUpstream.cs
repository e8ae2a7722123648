using System.Text;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Http;

namespace Heimdall.Tests.Hardening.Faults;

/// <summary>
/// A loopback Kestrel standing in for a broken upstream (fault injection): every request gets <see cref="Fault"/>.
/// Records that a request arrived and whether the caller cancelled it (<c>RequestAborted</c>).
/// </summary>
internal sealed class FaultyUpstream : IAsyncDisposable
{
    /// <summary>A real query answer's beginning, cut inside the first series.</summary>
    private static readonly byte[] s_partial = Encoding.UTF8.GetBytes(
        """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"fed_metric","env":"dev","ow""");

    private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackServer? _server;
    private int _requests;

    private FaultyUpstream(UpstreamFault fault) => Fault = fault;

    /// <summary>The fault injected into every request from now on.</summary>
    public UpstreamFault Fault { get; set; }

    public Uri Url => _server!.Address;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Completes when the first request arrives.</summary>
    public Task Received => _received.Task;

    /// <summary>Completes when a held request (<see cref="UpstreamFault.Hang"/>) is cancelled by the caller.</summary>
    public Task Aborted => _aborted.Task;

    public static async Task<FaultyUpstream> StartAsync(UpstreamFault fault)
    {
        var upstream = new FaultyUpstream(fault);
        upstream._server = await LoopbackServer.StartAsync(upstream.HandleAsync);
        return upstream;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        _received.TrySetResult();
        var response = context.Response;
        switch (Fault)
        {
            case UpstreamFault.Hang:
                try
                {
                    await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    _aborted.TrySetResult();
                }
                return;
            case UpstreamFault.ServerError:
                response.StatusCode = 500;
                response.ContentType = "application/json";
                await response.WriteAsync("""{"status":"error","errorType":"internal","error":"query failed: out of memory"}""");
                return;
            case UpstreamFault.Unavailable:
                response.StatusCode = 503;
                response.ContentType = "text/html";
                await response.WriteAsync("<html><body><h1>503 Service Unavailable</h1>\nNo server is available.</body></html>");
                return;
            case UpstreamFault.TruncatedContentLength:
                response.ContentType = "application/json";
                response.ContentLength = s_partial.Length * 10;
                await response.Body.WriteAsync(s_partial);
                await response.Body.FlushAsync();
                await Task.Delay(300); // let the caller read the headers and the first bytes before the connection drops
                context.Abort();
                return;
            case UpstreamFault.TruncatedChunked:
                response.ContentType = "application/json";
                await response.Body.WriteAsync(s_partial);
                await response.Body.FlushAsync();
                await Task.Delay(300); // let the caller read the headers and the first bytes before the connection drops
                context.Abort();
                return;
            case UpstreamFault.InvalidJson:
                response.ContentType = "application/json";
                await response.WriteAsync("<html>this is not JSON</html>");
                return;
            case UpstreamFault.IncompleteJson:
                response.ContentType = "application/json";
                await response.Body.WriteAsync(s_partial);
                return;
        }
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
