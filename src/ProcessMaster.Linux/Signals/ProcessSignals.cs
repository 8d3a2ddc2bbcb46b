using System.Runtime.InteropServices;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Signals;

/// <summary>Sending signals to single processes (the daemon signals only pids it read from an app's cgroup).</summary>
public static class ProcessSignals
{
    private const int ESRCH = 3;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>. False when the process is already gone (ESRCH);
    /// any other failure throws.</summary>
    public static bool TrySend(int pid, int signal)
    {
        if (pid <= 0) throw new ArgumentOutOfRangeException(nameof(pid), pid, "refusing to signal a process group or every process");
        if (Libc.Kill(pid, signal) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == ESRCH) return false;
        throw new LinuxException("kill", errno, $"pid {pid}");
    }
}
