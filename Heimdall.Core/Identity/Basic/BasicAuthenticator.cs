using System.Security.Cryptography;
using System.Text;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Identity.Jwt;
using Microsoft.Extensions.Logging;

namespace Heimdall.Core.Identity.Basic;

/// <summary>
/// Basic authentication against the users file (reloaded when it changes). Successful logins are cached for a few
/// minutes under a keyed hash of user and password, so a remote-write client does not pay for bcrypt on every push.
/// </summary>
internal sealed partial class BasicAuthenticator
{
    private static readonly TimeSpan s_cacheLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_checkInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly TokenCache<AuthenticationResult> _cache = new(1024);
    private readonly Lock _reloadLock = new();
    private volatile Dictionary<string, BasicUser> _users;
    private (DateTime, long) _stamp;
    private long _lastCheck;
    private long _generation;

    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is invalid.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public BasicAuthenticator(string path, TimeProvider time, ILogger logger)
    {
        _path = path;
        _time = time;
        _logger = logger;
        var info = new FileInfo(path);
        _stamp = (info.LastWriteTimeUtc, info.Length);
        _users = UsersFile.Parse(File.ReadAllText(path), path);
        _lastCheck = time.GetTimestamp();
        Log.UsersLoaded(logger, path, _users.Count);
    }

    /// <summary>Authenticates the base64 part of <c>Authorization: Basic ...</c>.</summary>
    public AuthenticationResult Authenticate(string encoded)
    {
        ReloadIfChanged();
        if (!TryDecode(encoded.Trim(), out var user, out var password))
        {
            return Refuse("malformed basic credentials", null);
        }
        var key = Hash(user, password);
        var generation = Interlocked.Read(ref _generation);
        var now = _time.GetUtcNow();
        if (_cache.Get(key, now, generation) is { } cached)
        {
            return cached;
        }
        if (!_users.TryGetValue(user, out var entry))
        {
            _ = PasswordHasher.Verify(password, PasswordHasher.DummyHash);
            return Refuse("invalid user name or password", user);
        }
        if (!PasswordHasher.Verify(password, entry.PasswordHash))
        {
            return Refuse("invalid user name or password", user);
        }
        var result = AuthenticationResult.Success(new CallerIdentity { User = entry.Name, Groups = entry.Groups, Method = "basic" });
        _cache.Set(key, result, now + s_cacheLifetime, generation);
        return result;
    }

    private static bool TryDecode(string encoded, out string user, out string password)
    {
        user = password = "";
        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (encoded.Length == 0 || !Convert.TryFromBase64String(encoded, bytes, out var n))
        {
            return false;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, n);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }
        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }

    private TokenHash Hash(string user, string password)
    {
        // Passwords may be guessable, so their cache key is a keyed cryptographic hash rather than TokenHash.Of.
        return TokenHash.FromDigest(HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes(user + "\0" + password)));
    }

    private void ReloadIfChanged()
    {
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastCheck)) < s_checkInterval)
        {
            return;
        }
        lock (_reloadLock)
        {
            if (_time.GetElapsedTime(Interlocked.Read(ref _lastCheck)) < s_checkInterval)
            {
                return;
            }
            Interlocked.Exchange(ref _lastCheck, _time.GetTimestamp());
            try
            {
                var info = new FileInfo(_path);
                var stamp = (info.LastWriteTimeUtc, info.Length);
                if (stamp == _stamp)
                {
                    return;
                }
                _stamp = stamp;
                _users = UsersFile.Parse(File.ReadAllText(_path), _path);
                Interlocked.Increment(ref _generation);
                Log.UsersLoaded(_logger, _path, _users.Count);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.UsersLoadFailed(_logger, _path, e.Message);
            }
        }
    }

    private AuthenticationResult Refuse(string reason, string? user)
    {
        Log.Refused(_logger, reason, user is null ? null : Challenges.Quote(user.Length > 64 ? user[..64] : user));
        return AuthenticationResult.Fail(reason, Challenges.Basic());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.AuthenticationFailed, EventName = "AuthenticationFailed", Level = LogLevel.Information,
            Message = "Basic credentials refused: {Reason} (user {User})")]
        public static partial void Refused(ILogger logger, string reason, string? user);

        [LoggerMessage(EventId = EventIds.UsersLoaded, EventName = "UsersLoaded", Level = LogLevel.Information,
            Message = "Users file {Path} loaded: {Count} users")]
        public static partial void UsersLoaded(ILogger logger, string path, int count);

        [LoggerMessage(EventId = EventIds.UsersLoadFailed, EventName = "UsersLoadFailed", Level = LogLevel.Warning,
            Message = "Users file {Path} could not be reloaded ({Error}); keeping the previous users")]
        public static partial void UsersLoadFailed(ILogger logger, string path, string error);
    }
}
