using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>getpwnam_r(3), getpwuid_r(3), getgrnam_r(3), getgrgid_r(3), getgrouplist(3), setgroups(2), setgid(2), setuid(2), getuid(2) and friends.</summary>
internal static unsafe partial class Libc
{
    /// <summary>struct passwd (x86-64 layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Passwd
    {
        internal byte* pw_name;
        internal byte* pw_passwd;
        internal uint pw_uid;
        internal uint pw_gid;
        internal byte* pw_gecos;
        internal byte* pw_dir;
        internal byte* pw_shell;
    }

    /// <summary>struct group (x86-64 layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Group
    {
        internal byte* gr_name;
        internal byte* gr_passwd;
        internal uint gr_gid;
        internal byte** gr_mem;
    }

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GetPwNamR(string name, Passwd* pwd, byte* buf, nuint buflen, Passwd** result);

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    internal static partial int GetPwUidR(uint uid, Passwd* pwd, byte* buf, nuint buflen, Passwd** result);

    [LibraryImport("libc", EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GetGrNamR(string name, Group* grp, byte* buf, nuint buflen, Group** result);

    [LibraryImport("libc", EntryPoint = "getgrgid_r")]
    internal static partial int GetGrGidR(uint gid, Group* grp, byte* buf, nuint buflen, Group** result);

    [LibraryImport("libc", EntryPoint = "getgrouplist", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GetGroupList(string user, uint group, uint* groups, int* ngroups);

    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    internal static partial int SetGroups(nuint size, uint* list);

    [LibraryImport("libc", EntryPoint = "getgroups", SetLastError = true)]
    internal static partial int GetGroups(int size, uint* list);

    [LibraryImport("libc", EntryPoint = "setgid", SetLastError = true)]
    internal static partial int SetGid(uint gid);

    [LibraryImport("libc", EntryPoint = "setuid", SetLastError = true)]
    internal static partial int SetUid(uint uid);

    [LibraryImport("libc", EntryPoint = "getuid")]
    internal static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    internal static partial uint GetGid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    internal static partial uint GetEGid();
}
