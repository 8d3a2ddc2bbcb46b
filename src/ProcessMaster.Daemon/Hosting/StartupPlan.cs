using ProcessMaster.Core.Config;
using ProcessMaster.Linux.Credentials;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>Who the daemon will be, whether it drops to get there, and what stops it from starting.</summary>
/// <param name="Identity">The daemon's identity once started (after any drop).</param>
/// <param name="DropTo">The identity a root daemon drops to (<c>global.user</c>); null when it stays who it is.</param>
/// <param name="Problems">Every problem; the daemon starts only when there is none.</param>
internal sealed record StartupPlan(DaemonIdentity Identity, DaemonIdentity? DropTo, IReadOnlyList<ConfigError> Problems);
