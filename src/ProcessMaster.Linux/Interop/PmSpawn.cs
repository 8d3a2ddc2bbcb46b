using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>
/// The C spawn helper (<c>Native/pm_spawn.c</c>): linked statically into the NativeAOT daemon (DirectPInvoke) and
/// loaded as <c>libpmspawn.so</c> from the build output in JIT builds. Layouts match the C structs.
/// </summary>
internal static unsafe partial class PmSpawn
{
    internal const string Library = "libpmspawn";

    /// <summary>struct pm_spawn_request.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Request
    {
        internal byte** Paths;
        internal byte** Argv;
        internal byte** Envp;
        internal byte* WorkingDirectory;
        internal uint* Groups;
        internal int GroupCount;
        internal int CgroupFd;
        internal int StdinFd;
        internal int StdoutFd;
        internal int StderrFd;
        internal int SetCredentials;
        internal uint Uid;
        internal uint Gid;
        internal int Umask;
        internal int ResetOomScoreAdj;
        internal int NoNewPrivs;
        internal int SetNofile;
        internal ulong NofileSoft;
        internal ulong NofileHard;
        internal int KeeperDirFd;
        internal int KeeperExecFd;
        internal byte* KeeperName;
    }

    /// <summary>struct pm_spawn_result.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Result
    {
        internal int Pid;
        internal int Pidfd;
        internal int Step;
        internal int Error;
        internal int PathIndex;
        internal int Clone3;
        internal int KeeperPid;
    }

    /// <summary>Most supplementary groups a spawn may set (PM_MAX_GROUPS).</summary>
    internal const int MaxGroups = 4096;

    /// <summary>0: the program runs (pid, pidfd set); -1: <see cref="Result.Step"/> failed with <see cref="Result.Error"/>, nothing is left running.</summary>
    [LibraryImport(Library, EntryPoint = "pm_spawn")]
    internal static partial int Spawn(Request* request, Result* result);

    /// <summary>The standalone exit keeper (pm_keeper.c) in a sealed, close-on-exec memfd; -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "pm_keeper_memfd", SetLastError = true)]
    internal static partial int KeeperMemfd();

    /// <summary>1: a child cloned into <paramref name="cgroupFd"/> (CLONE_INTO_CGROUP) lived; 0: the kernel killed it at birth; -1: errno.</summary>
    [LibraryImport(Library, EntryPoint = "pm_spawn_probe_clone_into_cgroup", SetLastError = true)]
    internal static partial int ProbeCloneIntoCgroup(int cgroupFd);

    /// <summary>0 makes later spawns use the clone + <c>cgroup.procs</c> fallback; 1 tries clone3 CLONE_INTO_CGROUP again.</summary>
    [LibraryImport(Library, EntryPoint = "pm_spawn_use_clone3")]
    internal static partial void UseClone3(int enabled);
}
