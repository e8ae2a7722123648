namespace Heimdall.Core.Identity;

/// <summary>Turns a request's credentials into a <see cref="CallerIdentity"/> or a refusal.</summary>
public interface IAuthenticator
{
    /// <summary>Authenticates <paramref name="request"/>; never throws for bad credentials.</summary>
    ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken = default);
}
