using Microsoft.Extensions.Logging;

namespace Heimdall.Core.Identity.Jwt;

/// <summary>Keys from a JWKS file, reloaded when its size or modification time changes (checked about once a second).</summary>
internal sealed class JwksFileKeySource(string path, TimeProvider time, TimeSpan checkInterval, ILogger logger)
    : ReloadingKeySource(time, checkInterval, checkInterval, logger)
{
    private (DateTime Modified, long Length)? _seen;

    protected override string Description => path;

    protected override async Task<string?> LoadAsync(CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException("JWKS file not found", path);
        }
        var stamp = (info.LastWriteTimeUtc, info.Length);
        if (_seen == stamp)
        {
            return null;
        }
        if (info.Length > JwksUrlKeySource.MaxDocumentBytes)
        {
            throw new InvalidDataException($"JWKS file larger than {JwksUrlKeySource.MaxDocumentBytes} bytes");
        }
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        _seen = stamp;
        return json;
    }
}
