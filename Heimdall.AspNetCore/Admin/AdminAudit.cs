using System.Text.Json;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Identity;
using Heimdall.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Heimdall.AspNetCore.Admin;

/// <summary>Writes one structured audit event per written change: who, what, and the state before and after.</summary>
internal static partial class AdminAudit
{
    /// <summary>The log category of audit events, so they can be routed separately.</summary>
    public const string Category = "Heimdall.Audit";

    public static void Record(ILogger logger, CallerIdentity caller, string operation, PolicyStoreResult result)
    {
        foreach (var change in result.Changes)
        {
            Log.Change(logger, caller.User, caller.Method, operation, change.Kind, change.Key, result.Revision,
                change.Before is null ? "null" : JsonSerializer.Serialize(change.Before, AdminResponses.Json),
                change.After is null ? "null" : JsonSerializer.Serialize(change.After, AdminResponses.Json));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.AdminChange, Level = LogLevel.Information,
            Message = "Audit: {User} ({Method}) {Operation} {Kind} \"{Key}\" at revision {Revision}; before: {Before}; after: {After}")]
        public static partial void Change(ILogger logger, string user, string method, string operation, string kind, string key, long revision, string before, string after);
    }
}
