using Heimdall.Core.Identity;

namespace Heimdall.Tests.Common;

/// <summary>
/// Stands in for the JWT authenticator until integration: maps <c>X-Test-User</c> and the comma-separated
/// <c>X-Test-Groups</c> headers to an identity; refuses requests without a user (401).
/// </summary>
internal sealed class TestHeaderAuthenticator : IAuthenticator
{
    public const string UserHeader = "X-Test-User";
    public const string GroupsHeader = "X-Test-Groups";

    public ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken = default)
    {
        if (!request.Headers.TryGetValue(UserHeader, out var user) || user.Length == 0)
        {
            return ValueTask.FromResult(AuthenticationResult.Fail("missing test credentials", "Bearer realm=\"heimdall\""));
        }
        var groups = request.Headers.TryGetValue(GroupsHeader, out var g) ? g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        return ValueTask.FromResult(AuthenticationResult.Success(new CallerIdentity { User = user, Groups = groups, Method = "static" }));
    }
}
