namespace Heimdall.Core.Identity;

/// <summary>Stable event IDs of the identity logs (1100-1199).</summary>
internal static class IdentityEventIds
{
    public const int AuthenticationFailed = 1100;
    public const int KeysLoaded = 1101;
    public const int KeySkipped = 1102;
    public const int KeysLoadFailed = 1103;
    public const int UsersLoaded = 1104;
    public const int UsersLoadFailed = 1105;
    public const int StaticIdentityEnabled = 1106;
    public const int KeysUnavailable = 1107;
}
