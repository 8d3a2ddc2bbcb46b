using System.Globalization;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// What every child gets whatever its definition says (docs/security.md, "Child processes"), read once from the
/// daemon itself:
/// <list type="bullet">
/// <item><c>oom_score_adj</c> back to 0 when the daemon's differs (an operator who protects the supervisor does not
/// protect its services); a non-root daemon with a positive value cannot lower it, and its children inherit it.</item>
/// <item>RLIMIT_NOFILE soft limit 1024 (capped by the hard limit), the hard limit as the daemon's, as systemd does
/// for its services: select() stays safe, and a program that needs more raises its own soft limit up to the hard
/// one. Every other resource limit is inherited from the daemon.</item>
/// </list>
/// </summary>
public sealed record ChildDefaults(bool ResetOomScoreAdj, ulong OpenFilesSoft, ulong OpenFilesHard)
{
    /// <summary>The soft RLIMIT_NOFILE of a child.</summary>
    public const ulong DefaultOpenFilesSoft = 1024;

    /// <summary>The policy for children of this process.</summary>
    public static unsafe ChildDefaults ForThisProcess()
    {
        int adjust = 0;
        try
        {
            adjust = int.Parse(File.ReadAllText("/proc/self/oom_score_adj").Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // No procfs: leave it inherited.
        }

        Libc.RLimit limit;
        if (Libc.GetRLimit(Libc.RLIMIT_NOFILE, &limit) != 0)
        {
            throw LinuxException.FromLastError("getrlimit", "RLIMIT_NOFILE");
        }

        return new ChildDefaults(adjust != 0 && (Privileges.IsRoot || adjust < 0), Math.Min(DefaultOpenFilesSoft, limit.Maximum), limit.Maximum);
    }
}
