using System.Runtime.InteropServices;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Spawn;

public static unsafe partial class SpawnShim
{
    private static void DropPrivileges(uint uid, uint gid, List<uint> groups)
    {
        uint[] wanted = groups.Append(gid).Distinct().Order().ToArray();
        fixed (uint* p = wanted)
        {
            if (Libc.SetGroups((nuint)wanted.Length, p) != 0)
            {
                throw LinuxException.FromLastError("setgroups", $"groups {string.Join(',', wanted)}", "changing groups needs root");
            }
        }

        if (Libc.SetGid(gid) != 0)
        {
            throw LinuxException.FromLastError("setgid", $"gid {gid}");
        }

        if (Libc.SetUid(uid) != 0)
        {
            throw LinuxException.FromLastError("setuid", $"uid {uid}");
        }

        uint[] actual = ReadGroups();
        if (Libc.GetUid() != uid || Libc.GetEUid() != uid || Libc.GetGid() != gid || Libc.GetEGid() != gid || !actual.SequenceEqual(wanted))
        {
            throw new LinuxException("setuid", Errno.EPERM,
                $"credentials: wanted uid={uid} gid={gid} groups={string.Join(',', wanted)}, got uid={Libc.GetUid()}/{Libc.GetEUid()} gid={Libc.GetGid()}/{Libc.GetEGid()} groups={string.Join(',', actual)}",
                "refusing to exec with credentials other than the configured ones");
        }
    }

    private static uint[] ReadGroups()
    {
        int n = Libc.GetGroups(0, null);
        uint[] groups = new uint[Math.Max(n, 1)];
        fixed (uint* p = groups)
        {
            n = Libc.GetGroups(groups.Length, p);
        }

        return n < 0 ? throw LinuxException.FromLastError("getgroups", "spawn shim") : groups.Take(n).Order().ToArray();
    }

    private static void ResetSignals()
    {
        // exec resets caught signals to SIG_DFL by itself; ignored ones (SIGPIPE from .NET) and the mask survive it.
        Libc.SigAction dfl = default;
        dfl.sa_handler = Libc.SIG_DFL;
        for (int sig = 1; sig < Libc.NSIG; sig++)
        {
            if (sig is Libc.SIGKILL or Libc.SIGSTOP)
            {
                continue;
            }

            Libc.SigAction old;
            if (Libc.Sigaction(sig, null, &old) == 0 && old.sa_handler == Libc.SIG_IGN && Libc.Sigaction(sig, &dfl, null) != 0)
            {
                throw LinuxException.FromLastError("sigaction", $"signal {sig}");
            }
        }

        ulong* empty = stackalloc ulong[16];
        new Span<ulong>(empty, 16).Clear();
        if (Libc.Sigprocmask(Libc.SIG_SETMASK, empty, null) != 0)
        {
            throw LinuxException.FromLastError("sigprocmask", "spawn shim");
        }
    }

    private static void Exec(SpawnSpec spec)
    {
        IReadOnlyList<string> candidates = Candidates(spec.Program, spec.Environment, spec.WorkingDirectory);
        ResetSignals();
        byte** argv = ToCStrings(spec.Argv);
        byte** envp = ToCStrings(spec.Environment);
        string? deniedPath = null;
        foreach (string candidate in candidates)
        {
            byte* path = (byte*)Marshal.StringToCoTaskMemUTF8(candidate);
            _ = Libc.Execve(path, argv, envp);
            var errno = (Errno)Marshal.GetLastPInvokeError();
            Marshal.FreeCoTaskMem((nint)path);
            if (candidates.Count > 1 && errno is Errno.ENOENT or Errno.ENOTDIR or Errno.EACCES)
            {
                // execvp(3) semantics: keep searching PATH; EACCES is reported if nothing else is found.
                deniedPath ??= errno == Errno.EACCES ? candidate : null;
                continue;
            }

            throw new LinuxException("execve", errno, $"{candidate} (cwd {spec.WorkingDirectory})");
        }

        throw deniedPath is not null
            ? new LinuxException("execve", Errno.EACCES, $"{deniedPath} (cwd {spec.WorkingDirectory})")
            : new LinuxException("execve", Errno.ENOENT, $"{spec.Program} (not found in PATH={PathOf(spec.Environment)})");
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

    private static byte** ToCStrings(List<string> values)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < values.Count; i++)
        {
            array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(values[i]);
        }

        return array; // execve replaces the image, or the shim exits right after: never freed
    }
}
