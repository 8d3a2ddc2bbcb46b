using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Credentials;

/// <summary>getgroups(2) of the calling process.</summary>
public static unsafe class ProcessGroups
{
    /// <summary>The supplementary groups of the calling thread, sorted.</summary>
    public static IReadOnlyList<uint> Current()
    {
        int n = Libc.GetGroups(0, null);
        if (n < 0) throw LinuxException.FromLastError("getgroups", "the daemon");
        uint[] groups = new uint[Math.Max(n, 1)];
        fixed (uint* p = groups)
        {
            n = Libc.GetGroups(groups.Length, p);
        }

        return n < 0 ? throw LinuxException.FromLastError("getgroups", "the daemon") : [.. groups.Take(n).Order()];
    }
}
