using System.Globalization;
using System.Runtime.InteropServices;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;
using ProcessMaster.Linux.Watchers;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// Starts programs race-free through the C helper (<c>Native/pm_spawn.c</c>): clone3 straight into the service's
/// cgroup with a pidfd, then in the child only raw system calls until exec (signals, setsid, stdio, credentials,
/// umask, chdir). <see cref="Spawn"/> returns once the child has exec'd (CLONE_VFORK) or failed; a failure comes
/// back as the failed step and its errno. The daemon opens every file the child gets (the child opens no path as
/// root); every child is registered before it can exit and reaped through its pidfd by the
/// <see cref="KernelEventWatcher"/> (see <see cref="ChildProcess"/>).
/// </summary>
public sealed class Spawner
{
    private readonly ChildProcessRegistry _children;
    private readonly KernelEventWatcher _reaper;

    /// <summary>Creates a spawner that registers its children in <paramref name="children"/> (shared with the <see cref="OrphanReaper"/>) and reaps them on <paramref name="reaper"/>'s thread.</summary>
    public Spawner(ChildProcessRegistry children, KernelEventWatcher reaper, ChildDefaults? defaults = null)
    {
        _children = children;
        _reaper = reaper;
        Defaults = defaults ?? ChildDefaults.ForThisProcess();
    }

    /// <summary>What every child gets (oom_score_adj, RLIMIT_NOFILE).</summary>
    public ChildDefaults Defaults { get; }

    /// <summary>True once a spawn joined its cgroup through <c>cgroup.procs</c> instead of clone3 CLONE_INTO_CGROUP (a seccomp profile that refuses clone3, or a child the kernel killed at birth in a cgroup that was <c>cgroup.kill</c>ed before).</summary>
    public bool UsedCgroupProcsFallback { get; private set; }

    /// <summary>
    /// Spawns and returns once the program runs (exec succeeded) or the child failed and was reaped. Takes about
    /// as long as a fork and exec; run it off the supervision loop all the same (exec reads the binary from disk).
    /// </summary>
    public SpawnResult Spawn(SpawnRequest request)
    {
        if (!Path.IsPathFullyQualified(request.WorkingDirectory))
        {
            throw new ArgumentException($"working directory \"{request.WorkingDirectory}\" is not absolute", nameof(request));
        }

        if (request.Stdout.Kind == SpawnOutputKind.SameAsStdout)
        {
            throw new ArgumentException("stdout cannot be SameAsStdout", nameof(request));
        }

        if (request.ExitRecords is not null && (request.RecordName is null || !ExitRecords.IsValidName(request.RecordName)))
        {
            throw new ArgumentException($"record name \"{request.RecordName}\" is not a valid service name", nameof(request));
        }

        if (Refuse(request) is { } refused)
        {
            return refused;
        }

        var opened = new List<SafeHandle>(3);
        try
        {
            IReadOnlyList<string> candidates = Candidates(request.Program, request.Environment, request.WorkingDirectory);
            SafeHandle stdin = Keep(opened, SafeFdHandle.Open(DevNull, Libc.O_RDONLY | Libc.O_NOCTTY));
            SafeHandle stdout = Target(request.Stdout, "stdout", opened);
            SafeHandle? stderr = request.Stderr.Kind == SpawnOutputKind.SameAsStdout ? null : Target(request.Stderr, "stderr", opened);
            return Start(request, candidates, stdin, stdout, stderr);
        }
        catch (LinuxException e)
        {
            return new SpawnResult.Failed(e.Syscall, e.Errno, e.Subject, $"{request.Subject}: spawn failed: {e.Message}");
        }
        finally
        {
            foreach (SafeHandle handle in opened)
            {
                handle.Dispose();
            }
        }
    }

    /// <summary>
    /// Checks once that clone3 CLONE_INTO_CGROUP can be trusted here: a child cloned into a fresh scratch cgroup below
    /// <paramref name="parent"/>, and into the same cgroup after a <c>cgroup.kill</c>. Some kernels (6.18 measured)
    /// SIGKILL a child cloned into a cgroup whose kill count differs from its parent's cgroup, so every start after a
    /// stop that ended in <c>cgroup.kill</c> would die at birth. Such a child never runs: the C helper sees it (no "I
    /// run" marker) and clones it once more through <c>cgroup.procs</c>, still before exec, so only those spawns pay for
    /// the <c>cgroup.procs</c> write (a wait of one RCU grace period: milliseconds). If clone3 is refused, or even a
    /// fresh cgroup kills its child, every later spawn joins its cgroup through <c>cgroup.procs</c> (the same containment).
    /// </summary>
    /// <returns>Null when CLONE_INTO_CGROUP works everywhere; otherwise what differs, for the journal.</returns>
    public string? CheckCloneIntoCgroup(Cgroups.CgroupNode parent)
    {
        (int fresh, int killed, Errno errno, string? failure) = (-1, -1, Errno.None, null);
        try
        {
            using Cgroups.CgroupNode scratch = parent.OpenOrCreateChild(ProbeCgroupName);
            try
            {
                (fresh, errno) = Probe(scratch);
                if (fresh == 1)
                {
                    scratch.Kill();
                    (killed, errno) = Probe(scratch);
                }
            }
            finally
            {
                scratch.Remove();
            }
        }
        catch (Exception e) when (e is LinuxException or IOException)
        {
            failure = $"cannot check clone3 CLONE_INTO_CGROUP in {parent.Path}: {e.Message}";
        }

        if (failure is null && fresh == 1 && killed == 1)
        {
            return null;
        }

        if (failure is null && fresh == 1 && killed == 0)
        {
            return "this kernel kills a child cloned (CLONE_INTO_CGROUP) into a cgroup that was cgroup.kill'ed before; "
                + "such a child is cloned again and joins its cgroup through cgroup.procs before exec";
        }

        PmSpawn.UseClone3(0);
        CloneIntoCgroupDisabled = true;
        UsedCgroupProcsFallback = true;
        string problem = failure
            ?? (fresh == 0 || killed == 0 ? "this kernel kills a child cloned (CLONE_INTO_CGROUP) even into a fresh cgroup"
                : $"clone3 with CLONE_INTO_CGROUP is not available: {LinuxException.Describe(errno)}");
        return problem + "; children join their cgroup through cgroup.procs before exec instead";
    }

    /// <summary>True once <see cref="CheckCloneIntoCgroup"/> turned CLONE_INTO_CGROUP off for every spawn.</summary>
    public bool CloneIntoCgroupDisabled { get; private set; }

    /// <summary>The scratch cgroup of <see cref="CheckCloneIntoCgroup"/> (service cgroups are <c>pm-*</c>: no clash).</summary>
    public const string ProbeCgroupName = "spawn-probe";

    private (int Result, Errno Errno) Probe(Cgroups.CgroupNode cgroup)
    {
        bool added = false;
        try
        {
            cgroup.DirectoryHandle.DangerousAddRef(ref added);
            lock (_children.SyncRoot)
            {
                int result = PmSpawn.ProbeCloneIntoCgroup(cgroup.DirectoryHandle.Fd);
                return (result, result < 0 ? (Errno)Marshal.GetLastPInvokeError() : Errno.None);
            }
        }
        finally
        {
            if (added)
            {
                cgroup.DirectoryHandle.DangerousRelease();
            }
        }
    }

    /// <summary>Paths to try: a program with a slash as is (made absolute against the working directory); otherwise each PATH entry of the child's environment.</summary>
    internal static IReadOnlyList<string> Candidates(string program, IReadOnlyList<string> environment, string workingDirectory)
    {
        if (program.Length == 0)
        {
            throw new LinuxException("execve", Errno.ENOENT, "(empty program name)");
        }

        if (program.Contains('/', StringComparison.Ordinal))
        {
            return [Path.IsPathRooted(program) ? program : Path.GetFullPath(program, workingDirectory)];
        }

        var result = new List<string>();
        foreach (string dir in PathOf(environment).Split(':'))
        {
            string d = dir.Length == 0 ? workingDirectory : Path.IsPathRooted(dir) ? dir : Path.GetFullPath(dir, workingDirectory);
            result.Add(Path.Join(d, program));
        }

        return result;
    }

    private const string DevNull = "/dev/null";

    private static SpawnResult.Failed? Refuse(SpawnRequest r)
    {
        int groups = r.Credentials?.Groups.Count ?? 0;
        if (groups > PmSpawn.MaxGroups)
        {
            return new SpawnResult.Failed("setgroups", Errno.EINVAL, null,
                $"{r.Subject}: spawn failed: user {r.Credentials!.UserName} has {groups} supplementary groups; at most {PmSpawn.MaxGroups} are supported");
        }

        string? nul = r.Arguments.Prepend(r.Argv0 ?? r.Program).Concat(r.Environment).Append(r.WorkingDirectory)
            .FirstOrDefault(s => s.Contains('\0', StringComparison.Ordinal));
        return nul is null ? null : new SpawnResult.Failed("execve", Errno.EINVAL, null,
            $"{r.Subject}: spawn failed: an argument, environment entry or the working directory contains a NUL byte ({nul.Replace("\0", "\\0", StringComparison.Ordinal)})");
    }

    private static SafeHandle Keep(List<SafeHandle> opened, SafeHandle handle)
    {
        opened.Add(handle);
        return handle;
    }

    private static unsafe SafeHandle Target(SpawnOutput output, string stream, List<SafeHandle> opened)
    {
        switch (output.Kind)
        {
            case SpawnOutputKind.Null:
                return Keep(opened, SafeFdHandle.Open(DevNull, Libc.O_WRONLY | Libc.O_NOCTTY));
            case SpawnOutputKind.Descriptor:
                return output.Handle!;
            case SpawnOutputKind.Fifo:
                // Blocking mode on purpose: the child inherits this open file description, and must block, not get EAGAIN.
                SafeFdHandle fifo = (SafeFdHandle)Keep(opened, SafeFdHandle.Open(output.Path!, Libc.O_RDWR | Libc.O_NOFOLLOW | Libc.O_NOCTTY));
                byte* stat = stackalloc byte[Libc.SizeOfStat];
                if (Libc.Fstat(fifo.Fd, stat) != 0)
                {
                    throw LinuxException.FromLastError("fstat", output.Path!);
                }

                return (*(uint*)(stat + Libc.OffsetOfStMode) & Libc.S_IFMT) == Libc.S_IFIFO
                    ? fifo
                    : throw new LinuxException("open", Errno.EINVAL, output.Path!, $"the {stream} target must be a FIFO");
            default:
                throw new ArgumentException($"{stream}: output kind {output.Kind} is not valid here", nameof(output));
        }
    }

    private unsafe SpawnResult Start(SpawnRequest r, IReadOnlyList<string> candidates, SafeHandle stdin, SafeHandle stdout, SafeHandle? stderr)
    {
        using var paths = new CStringArray(candidates);
        using var argv = new CStringArray([r.Argv0 ?? r.Program, .. r.Arguments]);
        using var envp = new CStringArray(r.Environment);
        using var cwd = new CStringArray([r.WorkingDirectory]);
        using var recordName = new CStringArray([r.RecordName ?? ""]);
        uint[] groups = r.Credentials is { } c ? [.. c.Groups.Append(c.Gid).Distinct().Order()] : [];
        using var lease = new DescriptorLease();
        PmSpawn.Result result = default;
        int rc;
        fixed (uint* groupList = groups)
        {
            var native = new PmSpawn.Request
            {
                Paths = paths.Pointer,
                Argv = argv.Pointer,
                Envp = envp.Pointer,
                WorkingDirectory = cwd.Pointer[0],
                Groups = groupList,
                GroupCount = groups.Length,
                CgroupFd = r.Cgroup is null ? -1 : lease.Fd(r.Cgroup.DirectoryHandle),
                StdinFd = lease.Fd(stdin),
                StdoutFd = lease.Fd(stdout),
                StderrFd = stderr is null ? -1 : lease.Fd(stderr),
                SetCredentials = r.Credentials is null ? 0 : 1,
                Uid = r.Credentials?.Uid ?? 0,
                Gid = r.Credentials?.Gid ?? 0,
                Umask = r.Umask is { } mask ? (int)(mask & 0x1FF) : -1,
                ResetOomScoreAdj = Defaults.ResetOomScoreAdj ? 1 : 0,
                NoNewPrivs = r.NoNewPrivileges ? 1 : 0,
                SetNofile = 1,
                NofileSoft = Defaults.OpenFilesSoft,
                NofileHard = Defaults.OpenFilesHard,
                KeeperDirFd = r.ExitRecords is { } records ? lease.Fd(records.DirectoryHandle) : -1,
                KeeperExecFd = r.ExitRecords?.KeeperProgram is { } program ? lease.Fd(program) : -1,
                KeeperName = recordName.Pointer[0],
            };
            // Not under the registry's lock: spawns overlap (a child's wait in cgroup.procs or exec costs no other spawn).
            _children.BeginSpawn();
            rc = -1;
            try
            {
                rc = PmSpawn.Spawn(&native, &result);
            }
            finally
            {
                _children.EndSpawn(rc == 0 ? (result.KeeperPid != 0 ? result.KeeperPid : result.Pid) : 0);
            }
        }

        if (result.Clone3 == 0 && r.Cgroup is not null)
        {
            UsedCgroupProcsFallback = true;
        }

        if (rc != 0)
        {
            return Failure(r, candidates, groups, result);
        }

        var child = new ChildProcess(result.Pid, new SafeFdHandle(result.Pidfd, ownsHandle: true), _children,
            result.KeeperPid != 0 ? result.KeeperPid : null);
        _reaper.Reap(child);
        return new SpawnResult.Started(child.Pid, child);
    }

    private static SpawnResult.Failed Failure(SpawnRequest r, IReadOnlyList<string> candidates, uint[] groups, in PmSpawn.Result result)
    {
        var errno = (Errno)result.Error;
        string wd = r.WorkingDirectory;
        string who = r.Credentials is { } c ? $"user {c.UserName} (uid {c.Uid.ToString(CultureInfo.InvariantCulture)})" : "the daemon's user";
        string cgroup = r.Cgroup?.Path ?? "(none)";
        (string step, string subject, string? path, string? hint) = (SpawnStep)result.Step switch
        {
            SpawnStep.Pipe => ("pipe2", "spawn report pipe", null, null),
            SpawnStep.Clone => (result.Clone3 != 0 ? "clone3" : "clone", $"child in cgroup {cgroup}", r.Cgroup?.Path, "no process was started"),
            SpawnStep.Cgroup => ("write", $"{cgroup}/{Cgroups.CgroupNode.ProcsFile}", r.Cgroup?.Path, "the child could not join its cgroup and was not started"),
            SpawnStep.Setsid => ("setsid", "child", null, null),
            SpawnStep.Stdio => ("dup2", "stdin/stdout/stderr of the child", null, null),
            SpawnStep.OomScoreAdj => ("write", "/proc/self/oom_score_adj", null, "resetting oom_score_adj to 0 needs CAP_SYS_RESOURCE"),
            SpawnStep.Rlimit => ("setrlimit", "RLIMIT_NOFILE", null, null),
            SpawnStep.SetGroups => ("setgroups", $"groups {string.Join(',', groups)}", null, "changing groups needs root"),
            SpawnStep.SetGid => ("setresgid", $"gid {r.Credentials?.Gid}", null, "changing the group needs root"),
            SpawnStep.SetUid => ("setresuid", $"uid {r.Credentials?.Uid}", null, "changing the user needs root"),
            SpawnStep.Verify => ("setresuid", $"credentials uid={r.Credentials?.Uid} gid={r.Credentials?.Gid} groups={string.Join(',', groups)}", null,
                "the credentials after the drop differ; refusing to exec with credentials other than the configured ones"),
            SpawnStep.NoNewPrivs => ("prctl", "PR_SET_NO_NEW_PRIVS", null, null),
            SpawnStep.Chdir => ("chdir", wd, wd, $"the working directory must exist and be a directory {who} can enter"),
            SpawnStep.CloseRange => ("close_range", "descriptors 3 and up", null, null),
            SpawnStep.Signals => ("sigaction", "signal dispositions of the child", null, null),
            SpawnStep.Execve => ExecFailure(r, candidates, result.PathIndex, errno),
            SpawnStep.Keeper => ("clone", "exit keeper", null, "the keeper ended before the program started; no process was started"),
            _ => ("spawn", $"step {result.Step.ToString(CultureInfo.InvariantCulture)}", null, null),
        };
        var e = new LinuxException(step, errno, subject, hint);
        return new SpawnResult.Failed(step, errno, path, $"{r.Subject}: spawn failed: {e.Message}");
    }

    private static (string, string, string?, string?) ExecFailure(SpawnRequest r, IReadOnlyList<string> candidates, int index, Errno errno)
    {
        if (index >= 0 && index < candidates.Count)
        {
            return ("execve", $"{candidates[index]} (cwd {r.WorkingDirectory})", candidates[index], null);
        }

        return errno == Errno.ENOENT && candidates.Count > 1
            ? ("execve", $"{r.Program} (not found in PATH={PathOf(r.Environment)})", null, null)
            : ("execve", $"{r.Program} (cwd {r.WorkingDirectory})", null, null);
    }

    private static string PathOf(IReadOnlyList<string> environment)
    {
        foreach (string entry in environment)
        {
            if (entry.StartsWith("PATH=", StringComparison.Ordinal))
            {
                return entry[5..];
            }
        }

        return SpawnEnvironment.DefaultPath;
    }

    /// <summary>Keeps descriptors alive (DangerousAddRef) while the native call uses their numbers.</summary>
    private sealed class DescriptorLease : IDisposable
    {
        private readonly List<SafeHandle> _held = new(4);

        public int Fd(SafeHandle handle)
        {
            bool added = false;
            handle.DangerousAddRef(ref added);
            if (added)
            {
                _held.Add(handle);
            }

            return (int)handle.DangerousGetHandle();
        }

        public void Dispose()
        {
            foreach (SafeHandle handle in _held)
            {
                handle.DangerousRelease();
            }
        }
    }
}
