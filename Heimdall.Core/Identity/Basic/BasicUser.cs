namespace Heimdall.Core.Identity.Basic;

/// <summary>One entry of the users file.</summary>
internal sealed record BasicUser(string Name, string PasswordHash, IReadOnlyList<string> Groups);
