using ProcessMaster.Core.Flags;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>What <c>flag</c>/<c>unflag</c> did: each target's flags afterwards, sorted by name, or why nothing changed.</summary>
/// <param name="Services">Every target with its user flags afterwards (one for a name, every service for <c>all</c>).</param>
/// <param name="Error">Why the request was refused as a whole (nothing changed), or null.</param>
internal sealed record UserFlagsOutcome(IReadOnlyList<(string Service, FlagSet<string> Flags)> Services, string? Error);
