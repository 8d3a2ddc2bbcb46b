using System.Globalization;
using System.Runtime.InteropServices;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Cgroups;

public sealed partial class CgroupNode
{
    /// <summary>Processes pinned with a pidfd at once while signalling (bounds the fds held).</summary>
    private const int SignalBatch = 256;

    /// <summary>
    /// Sends <paramref name="signal"/> to every process of this node and its descendants, and to no other process
    /// (audit #27). A pid read from <c>cgroup.procs</c> can exit and be reused by a process elsewhere before
    /// <c>kill(2)</c> reaches it, so each pid is first pinned with a pidfd, the cgroup is read again, and only a pinned
    /// process whose pid is still listed is signalled, through its pidfd: a pidfd names one process, never the pid's
    /// next owner, and while the pinned process lives its pid names it alone. A process that exits meanwhile is skipped.
    /// </summary>
    /// <returns>How many processes were signalled, and how many the first read listed.</returns>
    /// <exception cref="LinuxException">The cgroup cannot be read, or a pidfd cannot be opened or signalled for a reason
    /// other than the process being gone.</exception>
    public (int Sent, int Listed) SignalMembers(int signal)
    {
        IReadOnlyList<int> listed = ReadProcsRecursive();
        int sent = 0;
        for (int start = 0; start < listed.Count; start += SignalBatch)
        {
            var pinned = new List<(int Pid, SafeFdHandle Pidfd)>();
            try
            {
                foreach (int pid in listed.Skip(start).Take(SignalBatch))
                    if (Pin(pid) is { } pidfd) pinned.Add((pid, pidfd));
                var members = new HashSet<int>(ReadProcsRecursive());
                foreach ((int pid, SafeFdHandle pidfd) in pinned)
                    if (members.Contains(pid) && Send(pidfd, pid, signal)) sent++;
            }
            finally
            {
                foreach ((_, SafeFdHandle pidfd) in pinned) pidfd.Dispose();
            }
        }
        return (sent, listed.Count);
    }

    private static SafeFdHandle? Pin(int pid)
    {
        if (pid <= 0) throw new ArgumentOutOfRangeException(nameof(pid), pid, "refusing to signal a process group or every process");
        int fd = Libc.PidfdOpen(pid, 0);
        if (fd >= 0) return new SafeFdHandle(fd, ownsHandle: true);
        int errno = Marshal.GetLastPInvokeError();
        if (errno == (int)Errno.ESRCH) return null;
        throw new LinuxException("pidfd_open", errno, $"pid {pid.ToString(CultureInfo.InvariantCulture)}");
    }

    private static bool Send(SafeFdHandle pidfd, int pid, int signal)
    {
        if (Libc.PidfdSendSignal(pidfd, signal, 0, 0) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == (int)Errno.ESRCH) return false;
        throw new LinuxException("pidfd_send_signal", errno, $"pid {pid.ToString(CultureInfo.InvariantCulture)}");
    }
}
