namespace Heimdall.Core.Diagnostics;

/// <summary>
/// Every stable log event ID of Heimdall, in one place (the <c>[LoggerMessage]</c> attributes name these). IDs are part
/// of the operational contract: dashboards and alerts filter on them, so a number is never reused or changed.
/// </summary>
internal static class EventIds
{
    // Gateway and federation (800–899)
    public const int UpstreamFailed = 801;
    public const int UpstreamTimedOut = 802;
    public const int FanoutSaturated = 803;
    public const int PartialResult = 804;
    public const int RemoteWriteForwardFailed = 805;
    public const int UpstreamUnreachable = 806;
    public const int UpstreamBrokenOff = 807;
    public const int ClientGone = 810;
    public const int UpstreamInvalid = 811;

    // Identity (1100–1199)
    public const int AuthenticationFailed = 1100;
    public const int KeysLoaded = 1101;
    public const int KeySkipped = 1102;
    public const int KeysLoadFailed = 1103;
    public const int UsersLoaded = 1104;
    public const int UsersLoadFailed = 1105;
    public const int StaticIdentityEnabled = 1106;
    public const int KeysUnavailable = 1107;

    // Storage and admin (6000–6199)
    public const int MigrationApplied = 6001;
    public const int StoreCommitted = 6002;
    public const int SqlitePollFailed = 6010;
    public const int PostgresListenFailed = 6020;
    public const int SnapshotLoaded = 6030;
    public const int SnapshotReloadFailed = 6031;
    public const int ChangeFeedFailed = 6032;
    public const int PolicyFilesLoaded = 6040;
    public const int PolicyFilesRejected = 6041;
    public const int PolicyDirectoryReadFailed = 6042;
    public const int AdminChange = 6100;

    // Policy decisions and bundles (7000–7199)
    public const int OpaRetrying = 7001;
    public const int DecisionUnavailable = 7002;
    public const int BundleRebuilt = 7101;
    public const int BundleBuildFailed = 7102;
}
