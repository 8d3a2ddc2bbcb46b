using System.Globalization;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>Process limits the daemon sets for itself at start.</summary>
internal static class DaemonLimits
{
    /// <summary>Descriptors one service costs the daemon: two FIFOs, a pidfd, its cgroup directory and leaf, and slack.</summary>
    public const int DescriptorsPerService = 6;

    /// <summary>
    /// Raises RLIMIT_NOFILE's soft limit to the hard limit (1000 services need thousands of descriptors) and says how
    /// many services the hard limit leaves room for when it is low.
    /// </summary>
    public static void RaiseOpenFiles(EventJournal journal)
    {
        try
        {
            (ulong before, ulong after, ulong hard) = OpenFileLimit.RaiseSoftToHard();
            if (before != after)
                journal.Append("daemon", null, string.Create(CultureInfo.InvariantCulture, $"open file limit raised from {before} to {after} (the hard limit)"));
            if (hard < 64 * DescriptorsPerService)
                journal.Append("daemon", null, string.Create(CultureInfo.InvariantCulture,
                    $"the hard open file limit is {hard}: about {hard / DescriptorsPerService} services fit; raise it where the daemon starts (LimitNOFILE= in its systemd unit, ulimit -Hn)"));
        }
        catch (LinuxException e)
        {
            journal.Append("daemon", null, $"cannot raise the open file limit: {e.Message}; the daemon keeps its current limit", EventSeverity.Warning);
        }
    }
}
