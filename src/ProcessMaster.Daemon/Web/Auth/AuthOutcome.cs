namespace ProcessMaster.Daemon.Web.Auth;

/// <summary>The result of checking one request's <c>Authorization</c> header.</summary>
/// <param name="User">The authenticated user, or null.</param>
/// <param name="Failure">Why not (the 401 body), or null on success.</param>
/// <param name="Busy">True when too many verifications are already running (answered 429, not 401).</param>
/// <param name="Claimed">The configured user the request claimed to be, or null when unknown (never echoes an unknown name).</param>
internal sealed record AuthOutcome(string? User, string? Failure, bool Busy = false, string? Claimed = null)
{
    public static AuthOutcome Success(string user) => new(user, null);

    public static AuthOutcome Fail(string reason, string? claimed = null) => new(null, reason, Claimed: claimed);

    /// <summary>No header at all: a challenge, not an attempt (never logged).</summary>
    public bool IsChallenge => Failure == BasicCredentials.Missing;
}
