using System.Text;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Heimdall.Core.Storage.Files;

/// <summary>
/// A GitOps policy source: every <c>*.json</c>, <c>*.yaml</c> and <c>*.yml</c> file of one directory (in
/// ordinal file-name order), each a policy document. The set is loaded atomically: a bad file (syntax,
/// validation, a duplicate name across files) keeps the last good set, and <see cref="LastErrors"/> and the
/// log say why. Tenants named by policies but not listed under <c>tenants</c> are added with an empty name.
/// Changes are picked up through a file watcher, with polling as a safety net.
/// </summary>
internal sealed partial class FilePolicySnapshotProvider : IPolicySnapshotProvider, IAsyncDisposable
{
    private static readonly string[] s_extensions = [".json", ".yaml", ".yml"];

    private readonly string _directory;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private volatile PolicySnapshot _current = PolicySnapshot.Empty;
    private volatile IReadOnlyList<PolicyValidationError> _lastErrors = [];
    private CancellationTokenSource _changed = new();
    private string _fingerprint = "";
    private string _contentKey = "";
    private Task _loop = Task.CompletedTask;

    private FilePolicySnapshotProvider(string directory, TimeSpan pollInterval, ILogger logger)
    {
        _directory = Path.GetFullPath(directory);
        _pollInterval = pollInterval;
        _logger = logger;
        _watcher = new FileSystemWatcher(_directory) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        FileSystemEventHandler wake = (_, _) => _wake.Release();
        _watcher.Changed += wake;
        _watcher.Created += wake;
        _watcher.Deleted += wake;
        _watcher.Renamed += (_, _) => _wake.Release();
    }

    /// <summary>Loads the directory (throwing with every error when the first load fails: fail closed) and starts watching it.</summary>
    public static FilePolicySnapshotProvider Start(string directory, ILogger logger, TimeSpan? pollInterval = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"policy directory \"{directory}\" does not exist");
        }
        var provider = new FilePolicySnapshotProvider(directory, pollInterval ?? TimeSpan.FromSeconds(1), logger);
        if (!provider.TryReload())
        {
            var errors = provider._lastErrors;
            provider._watcher.Dispose();
            throw new InvalidDataException($"the policy files in {directory} are invalid:{Environment.NewLine}" +
                string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
        }
        provider._watcher.EnableRaisingEvents = true;
        provider._loop = Task.Run(provider.WatchAsync);
        return provider;
    }

    public PolicySnapshot Current => _current;

    /// <summary>Why the newest content was refused (empty when the newest content is loaded).</summary>
    public IReadOnlyList<PolicyValidationError> LastErrors => _lastErrors;

    public IChangeToken Watch() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    private async Task WatchAsync()
    {
        var ct = _stopping.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await _wake.WaitAsync(_pollInterval, ct))
                {
                    // Let a burst of events (an editor's save, a git checkout) settle.
                    await Task.Delay(100, ct);
                    while (_wake.CurrentCount > 0)
                    {
                        await _wake.WaitAsync(ct);
                    }
                }
                if (Fingerprint() != _fingerprint)
                {
                    TryReload();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.ReadFailed(_logger, _directory, e);
            }
        }
    }

    private string Fingerprint()
    {
        var sb = new StringBuilder();
        foreach (var file in PolicyFiles())
        {
            var info = new FileInfo(file);
            sb.Append(info.Name).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return sb.ToString();
    }

    private IEnumerable<string> PolicyFiles() => Directory.EnumerateFiles(_directory)
        .Where(f => s_extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
        .Where(f => !Path.GetFileName(f).StartsWith('.'))
        .Order(StringComparer.Ordinal);

    /// <summary>Reads and validates every file; swaps the snapshot only when all of them are good.</summary>
    internal bool TryReload()
    {
        var fingerprint = Fingerprint();
        var errors = new List<PolicyValidationError>();
        var tenants = new List<Tenant>();
        var policies = new List<AccessPolicy>();
        var content = new StringBuilder();
        foreach (var file in PolicyFiles())
        {
            var name = Path.GetFileName(file);
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(PolicyValidationError.ForDocument(name, "cannot read the file: " + e.Message));
                continue;
            }
            content.Append(name).Append('\0').Append(text).Append('\0');
            var (document, readErrors) = PolicyDocumentReader.Read(text);
            errors.AddRange(readErrors.Select(e => e with { Field = e.Policy is null && e.Tenant is null ? Join(name, e.Field) : e.Field }));
            if (document is not null)
            {
                tenants.AddRange(document.Tenants);
                policies.AddRange(document.Policies);
            }
        }
        var listed = tenants.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var implicitTenant in policies.SelectMany(p => p.Scope.Tenants)
            .Where(t => t != "*" && TenantIdRules.IsValid(t) && !listed.Contains(t)).Distinct(StringComparer.Ordinal).ToList())
        {
            tenants.Add(new Tenant { Id = implicitTenant, Name = "" });
            listed.Add(implicitTenant);
        }
        var merged = new PolicyDocument { Tenants = tenants, Policies = policies };
        if (errors.Count == 0)
        {
            errors.AddRange(PolicyValidator.ValidateDocument(merged));
        }
        _fingerprint = fingerprint;
        if (errors.Count > 0)
        {
            Log.Rejected(_logger, _directory, errors.Count, string.Join("; ", errors.Take(20)));
            _lastErrors = errors;
            return false;
        }
        _lastErrors = [];
        var key = content.ToString();
        if (key == _contentKey)
        {
            return true;
        }
        _contentKey = key;
        tenants.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        policies.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var snapshot = new PolicySnapshot { Revision = _current.Revision + 1, Tenants = tenants, Policies = policies };
        _current = snapshot;
        Log.Loaded(_logger, _directory, snapshot.Revision, tenants.Count, policies.Count);
        var old = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        old.Cancel();
        old.Dispose();
        return true;
    }

    private static string Join(string file, string field) => field.Length == 0 ? file : file + ": " + field;

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a DI container may reach one instance through several registrations.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _watcher.EnableRaisingEvents = false;
        _watcher.Dispose();
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
        _changed.Dispose();
        _wake.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.PolicyFilesLoaded, Level = LogLevel.Information, Message = "Loaded policy files from {Directory} as revision {Revision}: {Tenants} tenants, {Policies} policies")]
        public static partial void Loaded(ILogger logger, string directory, long revision, int tenants, int policies);

        [LoggerMessage(EventId = EventIds.PolicyFilesRejected, Level = LogLevel.Error, Message = "Policy files in {Directory} rejected ({Count} errors), keeping the last good set: {Errors}")]
        public static partial void Rejected(ILogger logger, string directory, int count, string errors);

        [LoggerMessage(EventId = EventIds.PolicyDirectoryReadFailed, Level = LogLevel.Warning, Message = "Reading the policy directory {Directory} failed")]
        public static partial void ReadFailed(ILogger logger, string directory, Exception exception);
    }
}
