namespace ProcessMaster.Core.Config;

/// <summary>
/// Asks the host whether a service can run as <paramref name="user"/> (and <paramref name="group"/>, or the user's
/// primary group). The parser stays pure: the daemon passes its user-database lookup, so <c>--check</c>, boot and
/// <c>update</c> refuse an unknown account when the definition loads, with the text a start would have shown.
/// </summary>
/// <returns>Null when the account resolves, or when the lookup itself failed (that is no verdict on the name; the
/// start reports it); otherwise which key is wrong and why.</returns>
public delegate AccountProblem? AccountCheck(string user, string? group);
