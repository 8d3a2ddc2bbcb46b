using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// The daemon's own RLIMIT_NOFILE. Every service costs the daemon descriptors (its FIFOs, pidfd, cgroup
/// directory), so the daemon raises its soft limit to the hard limit at start, as systemd and .NET's own runtime
/// do; children still get soft 1024 (<see cref="ChildDefaults"/>).
/// </summary>
public static class OpenFileLimit
{
    /// <summary>Raises the soft limit to the hard limit; returns both limits before and after.</summary>
    /// <exception cref="LinuxException">getrlimit or setrlimit failed.</exception>
    public static unsafe (ulong Before, ulong After, ulong Hard) RaiseSoftToHard()
    {
        Libc.RLimit limit;
        if (Libc.GetRLimit(Libc.RLIMIT_NOFILE, &limit) != 0) throw LinuxException.FromLastError("getrlimit", "RLIMIT_NOFILE");
        ulong before = limit.Current;
        if (limit.Current < limit.Maximum)
        {
            limit.Current = limit.Maximum;
            if (Libc.SetRLimit(Libc.RLIMIT_NOFILE, &limit) != 0) throw LinuxException.FromLastError("setrlimit", "RLIMIT_NOFILE");
        }
        return (before, limit.Current, limit.Maximum);
    }
}
