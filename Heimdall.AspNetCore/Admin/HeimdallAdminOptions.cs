namespace Heimdall.AspNetCore.Admin;

/// <summary>The admin API (<c>/admin/v1/</c>), configuration section <c>admin</c>.</summary>
public sealed record HeimdallAdminOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "admin";

    /// <summary>
    /// The group whose members may use the admin API (<c>admin.group</c>). Without one, every admin request
    /// is refused with 403: the admin API is closed until a group is configured.
    /// </summary>
    public string? Group { get; init; }
}
