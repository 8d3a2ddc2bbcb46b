using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// The child side of a spawn, run as <c>processmaster __spawn</c>: a fresh process (never a managed fork), so
/// managed code is safe here. It reads a <see cref="SpawnSpec"/> from stdin, then in this order: keeps its stdout
/// (the report pipe) as a CLOEXEC descriptor; joins the cgroup (before exec, so every descendant is born inside);
/// setsid; chdir; puts /dev/null on stdin and the requested targets on stdout/stderr; setgroups, setgid, setuid
/// and verifies the result; marks every other descriptor CLOEXEC; resets ignored signals to SIG_DFL and clears the
/// mask (a .NET parent leaves SIGPIPE ignored); execve. Exec success closes the report pipe (EOF); any failure
/// writes a <see cref="ShimReport"/> there and exits 127.
/// </summary>
public static unsafe partial class SpawnShim
{
    /// <summary>argv[1] of the daemon binary that selects shim mode.</summary>
    public const string Verb = "__spawn";

    /// <summary>Exit code of a shim that could not exec.</summary>
    public const int ExecFailedExitCode = 127;

    private const string DevNull = "/dev/null";

    /// <summary>Entry point, called first thing in <c>Program.cs</c> when <c>args[0] == "__spawn"</c>.</summary>
    public static int Run(string[] args)
    {
        int report = Libc.Fcntl(1, Libc.F_DUPFD_CLOEXEC, 3);
        if (report < 0)
        {
            return ExecFailedExitCode; // no way to report; the daemon sees EOF and an immediate exit 127
        }

        try
        {
            SpawnSpec spec = ReadSpec();
            Prepare(spec);
            Exec(spec); // returns only by throwing
            return ExecFailedExitCode;
        }
        catch (LinuxException e)
        {
            WriteReport(report, new ShimReport { Step = e.Syscall, Errno = (int)e.Errno, Path = e.Subject, Message = e.Message });
            return ExecFailedExitCode;
        }
        catch (Exception e)
        {
            WriteReport(report, new ShimReport { Step = "shim", Errno = 0, Message = $"spawn shim failed: {e.GetType().Name}: {e.Message}" });
            return ExecFailedExitCode;
        }
    }

    private static SpawnSpec ReadSpec()
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16384];
        while (true)
        {
            nint n;
            fixed (byte* p = chunk)
            {
                n = Libc.Read(0, p, chunk.Length);
            }

            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() == (int)Errno.EINTR)
                {
                    continue;
                }

                throw LinuxException.FromLastError("read", "spawn spec on stdin");
            }

            if (n == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, (int)n);
        }

        return JsonSerializer.Deserialize(buffer.ToArray(), SpawnJsonContext.Default.SpawnSpec)
            ?? throw new InvalidDataException("empty spawn spec");
    }

    private static void Prepare(SpawnSpec spec)
    {
        if (spec.CgroupProcsPath is { } procs)
        {
            JoinCgroup(procs);
        }

        if (Libc.Setsid() < 0)
        {
            throw LinuxException.FromLastError("setsid", "spawn shim");
        }

        if (Libc.Chdir(spec.WorkingDirectory) != 0)
        {
            throw LinuxException.FromLastError("chdir", spec.WorkingDirectory, "the working directory must exist and be a directory");
        }

        Redirect(0, OpenTarget(SpawnOutputKind.Null, null, "stdin"));
        Redirect(1, OpenTarget(spec.StdoutKind, spec.StdoutPath, "stdout"));
        if (spec.StderrKind == SpawnOutputKind.SameAsStdout)
        {
            Redirect(2, 1, closeSource: false);
        }
        else
        {
            Redirect(2, OpenTarget(spec.StderrKind, spec.StderrPath, "stderr"));
        }

        if (spec.Uid is { } uid)
        {
            DropPrivileges(uid, spec.Gid ?? throw new InvalidDataException("uid without gid"), spec.Groups ?? []);
        }

        // Only 0, 1 and 2 survive exec: descriptors the daemon leaked without CLOEXEC are closed too.
        if (Libc.CloseRange(3, uint.MaxValue, Libc.CLOSE_RANGE_CLOEXEC) != 0)
        {
            throw LinuxException.FromLastError("close_range", "spawn shim");
        }
    }

    private static void JoinCgroup(string procsPath)
    {
        int fd = Libc.Open(procsPath, Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw LinuxException.FromLastError("open", procsPath);
        }

        try
        {
            byte[] pid = Encoding.ASCII.GetBytes(Libc.GetPid().ToString(CultureInfo.InvariantCulture));
            fixed (byte* p = pid)
            {
                if (Libc.Write(fd, p, pid.Length) < 0)
                {
                    throw LinuxException.FromLastError("write", procsPath);
                }
            }
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

    private static int OpenTarget(SpawnOutputKind kind, string? path, string stream)
    {
        (string target, int flags, uint mode) = kind switch
        {
            SpawnOutputKind.Null => (DevNull, stream == "stdin" ? Libc.O_RDONLY : Libc.O_WRONLY, 0u),
            SpawnOutputKind.Fifo => (path!, Libc.O_RDWR, 0u),
            SpawnOutputKind.AppendFile => (path!, Libc.O_WRONLY | Libc.O_APPEND | Libc.O_CREAT | Libc.O_NOFOLLOW, Convert.ToUInt32("640", 8)),
            _ => throw new InvalidDataException($"{stream}: output kind {kind} is not valid here"),
        };

        int fd = Libc.Open(target, flags | Libc.O_CLOEXEC | Libc.O_NOCTTY, mode);
        if (fd < 0)
        {
            throw LinuxException.FromLastError("open", target, $"cannot open the {stream} target");
        }

        uint wanted = kind switch { SpawnOutputKind.Fifo => Libc.S_IFIFO, SpawnOutputKind.AppendFile => Libc.S_IFREG, _ => 0 };
        if (wanted != 0 && FileType(fd, target) != wanted)
        {
            string what = wanted == Libc.S_IFIFO ? "a FIFO" : "a regular file";
            throw new LinuxException("open", wanted == Libc.S_IFIFO ? Errno.EINVAL : Errno.EISDIR, target, $"the {stream} target must be {what}");
        }

        return fd;
    }

    private static uint FileType(int fd, string path)
    {
        byte* stat = stackalloc byte[Libc.SizeOfStat];
        return Libc.Fstat(fd, stat) == 0
            ? *(uint*)(stat + Libc.OffsetOfStMode) & Libc.S_IFMT
            : throw LinuxException.FromLastError("fstat", path);
    }

    private static void Redirect(int target, int source, bool closeSource = true)
    {
        if (source != target && Libc.Dup2(source, target) < 0)
        {
            throw LinuxException.FromLastError("dup2", $"fd {source} onto {target}");
        }

        if (closeSource && source != target)
        {
            _ = Libc.Close(source);
        }
    }

    private static void WriteReport(int fd, ShimReport report)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(report, SpawnJsonContext.Default.ShimReport);
        int written = 0;
        fixed (byte* p = bytes)
        {
            while (written < bytes.Length)
            {
                nint n = Libc.Write(fd, p + written, bytes.Length - written);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == (int)Errno.EINTR)
                    {
                        continue;
                    }

                    return;
                }

                written += (int)n;
            }
        }

        _ = Libc.Close(fd);
    }
}
