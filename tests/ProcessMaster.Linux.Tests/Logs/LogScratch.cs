using System.Diagnostics;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Logs;

using System.Runtime.Versioning;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Logs;

/// <summary>
/// A temporary area for one log test: <c>run/</c> (0700, the daemon's runtime directory), <c>work/</c> (the
/// service's working directory), writers started with /bin/sh that open the FIFO O_RDWR like the spawn shim,
/// and the events captures report. Everything it created (processes, mounts, files) is removed on dispose.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LogScratch : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly List<string> _mounts = [];
    private readonly List<IDisposable> _owned = [];
    private readonly TempDirectory _dir = new("pm-logs-");

    public LogScratch()
    {
        Root = _dir.Path;
        Work = Path.Combine(Root, "work");
        Directory.CreateDirectory(Work);
        Runtime = LogFifo.OpenRuntimeDirectory(Path.Combine(Root, "run"));
        _owned.Add(Runtime);
        Loop = new LogCaptureLoop();
    }

    /// <summary>The capture loop every capture of this scratch runs on (disposed after its captures and FIFOs).</summary>
    public LogCaptureLoop Loop { get; }

    public string Root { get; }

    public string Work { get; }

    public ConfinedDirectory Runtime { get; }

    public List<LogCaptureEvent> Events { get; } = [];

    public string FifoPath(string name = "svc.stdout") => Path.Combine(Root, "run", name);

    public LogFifo Fifo(string name = "svc.stdout", int pipeBytes = LogFifo.DefaultPipeBytes)
    {
        LogFifo fifo = LogFifo.OpenOrCreate(Runtime, name, pipeBytes);
        _owned.Add(fifo);
        return fifo;
    }

    public LogCaptureOptions Options(LogRotationSettings? rotation = null, string path = "logs/stdout.log") =>
        new("service \"svc\" stdout", Work, Parse(path), rotation ?? LogRotationSettings.BySize(0, 0, compress: false))
        {
            RetryInterval = TimeSpan.FromMilliseconds(100),
        };

    public LogCapture Capture(LogFifo fifo, LogCaptureOptions options) => Loop.Start(fifo, options, Report);

    public void Report(LogCaptureEvent e)
    {
        lock (Events) Events.Add(e);
    }

    public LogCaptureEvent[] EventsOf(LogCaptureEventKind kind)
    {
        lock (Events) return Events.Where(e => e.Kind == kind).ToArray();
    }

    /// <summary>Starts <c>sh -c 'exec 1&lt;&gt;FIFO; SCRIPT'</c>: the shell holds the FIFO read-write on fd 1, like the shim.</summary>
    public Process Writer(string script, string fifo = "svc.stdout")
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec 1<>'{FifoPath(fifo)}'; {script}");
        Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start /bin/sh");
        _processes.Add(process);
        return process;
    }

    public void Track(Process process) => _processes.Add(process);

    public void Mount(string directory, string size)
    {
        Directory.CreateDirectory(directory);
        Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", directory);
        _mounts.Add(directory);
    }

    public static LogRelativePath Parse(string path) =>
        LogRelativePath.TryParse(path, out LogRelativePath? parsed, out string? error) ? parsed! : throw new ArgumentException(error);

    /// <summary>Waits for <paramref name="condition"/>; the failure says what was awaited.</summary>
    public static void WaitFor(Func<bool> condition, string what, int timeoutMs = 120_000, Func<string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMs) Assert.Fail($"timed out after {timeoutMs} ms waiting for {what}{(describe is null ? "" : "; " + describe())}");
            Thread.Sleep(5);
        }
    }

    /// <summary>Process state letter and wait channel from /proc (e.g. "S", "pipe_write").</summary>
    public static (char State, string Wchan) StateOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        char state = stat[stat.LastIndexOf(')') + 2];
        string wchan = File.Exists($"/proc/{pid}/wchan") ? File.ReadAllText($"/proc/{pid}/wchan") : "";
        return (state, wchan);
    }

    public static void Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        using Process p = Process.Start(info)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: exit {p.ExitCode}: {err}");
    }

    public void Dispose()
    {
        foreach (Process p in _processes)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already reaped.
            }
            p.Dispose();
        }
        foreach (IDisposable d in Enumerable.Reverse(_owned)) d.Dispose();
        Loop.Dispose();
        foreach (string m in Enumerable.Reverse(_mounts)) Run("umount", m);
        _dir.Dispose();
    }
}
