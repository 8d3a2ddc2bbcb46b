namespace ProcessMaster.Core.Config;

/// <summary>Why a service cannot run as the configured account (see <see cref="AccountCheck"/>).</summary>
/// <param name="IsGroup">True when the group is what does not resolve; false for the user.</param>
/// <param name="Text">"problem; fix", e.g. <c>user "bob" not found in the passwd database; create it or fix process.user</c>.</param>
public readonly record struct AccountProblem(bool IsGroup, string Text);
