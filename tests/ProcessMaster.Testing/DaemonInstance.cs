using System.Diagnostics;
using System.Text;

namespace ProcessMaster.Testing;

/// <summary>
/// A real <c>processmaster</c> process on a private configuration: its own temp directory (config, config.d,
/// state, socket, service working directories) and its own cgroup sandbox under the cgroup2 mount. Its stderr
/// (every event) is kept for <see cref="WaitForLogAsync"/> and shown when a test fails. Disposing kills the
/// daemon if it still runs, kills every process left in the sandbox, removes the cgroups and the directory.
/// </summary>
public sealed class DaemonInstance : IAsyncDisposable
{
    private readonly CgroupSandbox _sandbox;
    private readonly StringBuilder _log = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _logChanged = new(0);
    private Process? _process;

    private DaemonInstance(string root, CgroupSandbox sandbox, string extraConfig, string extraGlobal, string? socketPath, string extraCgroup, string socketMode)
    {
        Root = root;
        _sandbox = sandbox;
        SocketPath = socketPath ?? Path.Combine(root, "pm.sock");
        // Definitions are trusted only when root's and closed to group/other writes, whatever the test's umask.
        Directory.CreateDirectory(ConfigDirectory);
        File.SetUnixFileMode(ConfigDirectory, TrustedDirectoryMode);
        File.WriteAllText(ConfigPath, $"""
            cgroup:
              root: {sandbox.Path}
              name: pm
              {Indent(extraCgroup)}
            unix_socket:
              path: {SocketPath}
              owner: null
              group: null
              mode: "{socketMode}"
            global:
              config_directory: ./config.d
              state_file: ./state/appstate.json
              log_file: ./logs/processmaster.log
              {Indent(extraGlobal)}
            {extraConfig}
            """);
    }

    /// <summary>The private directory.</summary>
    public string Root { get; }

    public string ConfigPath => Path.Combine(Root, "config.yaml");

    public string ConfigDirectory => Path.Combine(Root, "config.d");

    /// <summary>The socket: <c>pm.sock</c> in <see cref="Root"/>, or in the directory given to <see cref="Create"/>.</summary>
    public string SocketPath { get; }

    /// <summary>The daemon's own log file (<c>global.log_file</c>).</summary>
    public string LogFilePath => Path.Combine(Root, "logs", "processmaster.log");

    public string StatePath => Path.Combine(Root, "state", "appstate.json");

    /// <summary>The master cgroup the daemon creates.</summary>
    public string MasterCgroup => Path.Combine(_sandbox.Path, "pm");

    /// <summary>The cgroup of one app.</summary>
    public string AppCgroup(string app) => Path.Combine(MasterCgroup, "pm-" + app);

    /// <summary>The daemon's pid while it runs.</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Everything the daemon printed on stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_lock) return _log.ToString();
        }
    }

    /// <summary>Creates the instance (nothing runs yet).</summary>
    /// <param name="extraConfig">Top-level YAML appended to the config.</param>
    /// <param name="extraGlobal">More <c>global:</c> keys, one per line, unindented.</param>
    /// <param name="socketDirectory">A directory below <see cref="Root"/> for the socket (the daemon creates it); null = <see cref="Root"/>.</param>
    /// <param name="extraCgroup">More <c>cgroup:</c> keys, one per line, unindented.</param>
    /// <param name="socketPath">The socket's full path (instead of <paramref name="socketDirectory"/>).</param>
    /// <param name="socketMode"><c>unix_socket.mode</c>.</param>
    public static DaemonInstance Create(string extraConfig = "", string extraGlobal = "", string? socketDirectory = null, string extraCgroup = "",
        string? socketPath = null, string socketMode = "0600")
    {
        if (socketDirectory is not null && socketPath is not null) throw new ArgumentException("a socket directory and a socket path cannot be combined", nameof(socketPath));
        string root = Directory.CreateTempSubdirectory("pm-it-").FullName;
        string? socket = socketPath ?? (socketDirectory is null ? null : Path.Combine(root, socketDirectory, "pm.sock"));
        return new DaemonInstance(root, CgroupSandbox.Create(), extraConfig, extraGlobal, socket, extraCgroup, socketMode);
    }

    /// <summary>The sandbox the master cgroup lives in.</summary>
    public CgroupSandbox Sandbox => _sandbox;

    /// <summary>
    /// A working directory for a service under <see cref="Root"/>. The way there is searchable by everyone (a service
    /// changes into its directory after dropping privileges, with its own rights); the directory itself is 0755.
    /// </summary>
    public string WorkDir(string app)
    {
        const UnixFileMode Search = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        const UnixFileMode Open = Search | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        string work = Path.Combine(Root, "work");
        string dir = Path.Combine(work, app);
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(Root, Search);
        File.SetUnixFileMode(work, Search);
        File.SetUnixFileMode(dir, Open);
        return dir;
    }

    /// <summary>Writes <c>config.d/NAME.yaml</c> (mode 0644, as a trusted definition must be).</summary>
    public string WriteService(string name, string yaml)
    {
        string path = Path.Combine(ConfigDirectory, name + ".yaml");
        File.WriteAllText(path, yaml);
        File.SetUnixFileMode(path, TrustedFileMode);
        return path;
    }

    /// <summary>rwxr-xr-x.</summary>
    public const UnixFileMode TrustedDirectoryMode = (UnixFileMode)0b111_101_101;

    /// <summary>rw-r--r--.</summary>
    public const UnixFileMode TrustedFileMode = (UnixFileMode)0b110_100_100;

    /// <summary>
    /// Starts the daemon and waits until it reports that it runs. A <paramref name="launcher"/> (program and
    /// arguments) runs first and must exec the daemon, which it gets as its next arguments (e.g. setpriv ...), so
    /// <see cref="Pid"/> stays the daemon's. With <paramref name="umask"/> (octal text) the daemon is started under
    /// that file mode creation mask (through <c>sh -c 'umask M; exec ...'</c>). With <paramref name="stderrPath"/> its
    /// stderr goes there (e.g. a FIFO nobody reads) instead of into <see cref="Log"/>, and the wait reads <see cref="LogFilePath"/>.
    /// </summary>
    public async Task StartAsync(string? binary = null, IReadOnlyList<string>? launcher = null, string? umask = null, string? stderrPath = null)
    {
        if (Pid is not null) throw new InvalidOperationException("the daemon is already running");
        if (umask is not null)
        {
            if (launcher is not null) throw new ArgumentException("a launcher and a umask cannot be combined", nameof(umask));
            launcher = ["/bin/sh", "-c", $"umask {umask}; exec \"$0\" \"$@\""];
        }
        if (stderrPath is not null)
        {
            if (launcher is not null) throw new ArgumentException("a launcher and a stderr path cannot be combined", nameof(stderrPath));
            // exec keeps the pid: the daemon itself, with fd 2 opened on stderrPath.
            launcher = ["/bin/sh", "-c", "f=$1; shift; exec \"$@\" 2>\"$f\"", "sh", stderrPath];
        }
        int mark = Log.Length;
        int fileMark = File.Exists(LogFilePath) ? File.ReadAllText(LogFilePath).Length : 0;
        string daemon = binary ?? Repository.Daemon;
        var info = new ProcessStartInfo(launcher is null ? daemon : launcher[0])
        {
            RedirectStandardError = stderrPath is null,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        foreach (string argument in launcher?.Skip(1).Append(daemon) ?? []) info.ArgumentList.Add(argument);
        foreach ((string name, string? value) in Environment) info.Environment[name] = value;
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ConfigPath);
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start processmaster");
        if (stderrPath is null)
        {
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginErrorReadLine();
        }
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        if (stderrPath is null) await WaitForLogAsync("[daemon] running:", TimeSpan.FromSeconds(120), since: mark);
        else await WaitForLogFileAsync("[daemon] running:", TimeSpan.FromSeconds(120), since: fileMark);
    }

    /// <summary>Waits until the daemon's log file contains <paramref name="text"/> (after offset <paramref name="since"/>); returns that line.</summary>
    public async Task<string> WaitForLogFileAsync(string text, TimeSpan timeout, int since = 0)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string log = File.Exists(LogFilePath) ? await File.ReadAllTextAsync(LogFilePath) : "";
            int at = log.IndexOf(text, Math.Min(since, log.Length), StringComparison.Ordinal);
            if (at >= 0)
            {
                int end = log.IndexOf('\n', at);
                return end < 0 ? log[at..] : log[at..end];
            }
            if (DateTime.UtcNow > deadline || (Pid is null && _process is not null))
                throw new TimeoutException($"the daemon's log file did not get \"{text}\" within {timeout}\n--- {LogFilePath} ---\n{log}\n--- output ---\n{Log}");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends a signal to the daemon and waits for it to exit.</summary>
    public async Task<int> StopAsync(PosixSignalName signal = PosixSignalName.Term, TimeSpan? timeout = null)
    {
        Process process = _process ?? throw new InvalidOperationException("the daemon is not running");
        Signal(process.Id, signal);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        int code = process.ExitCode;
        process.Dispose();
        _process = null;
        return code;
    }

    /// <summary>Sends <paramref name="signal"/> to the running daemon (it keeps running unless the signal ends it).</summary>
    public void Signal(PosixSignalName signal) =>
        Signal((_process ?? throw new InvalidOperationException("the daemon is not running")).Id, signal);

    /// <summary>Runs the built pmctl against this daemon's socket.</summary>
    public Task<CommandResult> PmctlAsync(params string[] arguments) => PmctlWithAsync(Repository.Pmctl, arguments);

    /// <summary>Runs a given pmctl binary against this daemon's socket.</summary>
    public Task<CommandResult> PmctlWithAsync(string pmctl, params string[] arguments) =>
        CommandRun.RunAsync(pmctl, ["--sock", SocketPath, .. DaemonUid is { } uid ? new[] { "--daemon-uid", uid.ToString(System.Globalization.CultureInfo.InvariantCulture) } : [], .. arguments],
            TimeSpan.FromSeconds(60));

    /// <summary>Variables added to (or, with a null value, removed from) the daemon's environment at the next start.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The uid pmctl is told to trust (<c>--daemon-uid</c>) when the daemon does not run as root; null = root.</summary>
    public int? DaemonUid { get; set; }

    /// <summary>Waits until the daemon's log contains <paramref name="text"/> (after offset <paramref name="since"/>).</summary>
    public async Task<string> WaitForLogAsync(string text, TimeSpan timeout, int since = 0)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string log = Log;
            int at = log.IndexOf(text, Math.Min(since, log.Length), StringComparison.Ordinal);
            if (at >= 0)
            {
                int end = log.IndexOf('\n', at);
                return end < 0 ? log[at..] : log[at..end];
            }
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (Pid is null && _process is not null))
                throw new TimeoutException($"the daemon did not log \"{text}\" within {timeout}\n--- daemon log ---\n{log}");
            await _logChanged.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling a kernel fact (test side only).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string awaited)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout} waiting for: {awaited}");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Waits until <paramref name="progress"/> reaches <paramref name="target"/>, failing only when it stops moving for
    /// <paramref name="stall"/>: a slow, loaded machine makes slow progress, a broken one makes none.
    /// </summary>
    public static async Task WaitForProgressAsync(Func<long> progress, long target, TimeSpan stall, string awaited)
    {
        long last = progress();
        DateTime lastMoved = DateTime.UtcNow;
        while (last < target)
        {
            if (DateTime.UtcNow - lastMoved > stall)
                throw new TimeoutException($"no progress for {stall} waiting for: {awaited} (at {last} of {target})");
            await Task.Delay(50);
            long now = progress();
            if (now != last) lastMoved = DateTime.UtcNow;
            last = now;
        }
    }

    /// <summary>
    /// <see cref="WaitForProgressAsync(Func{long}, long, TimeSpan, string)"/> for this daemon: a stall's failure says whether
    /// the daemon is still alive (its exit code when not) and ends with its log, so a CI failure explains itself.
    /// </summary>
    public async Task WaitForDaemonProgressAsync(Func<long> progress, long target, TimeSpan stall, string awaited)
    {
        try
        {
            await WaitForProgressAsync(progress, target, stall, awaited);
        }
        catch (TimeoutException e)
        {
            string state = Pid is int pid ? $"daemon alive (pid {pid})" : $"daemon exited ({_process?.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "never started"})";
            string log = Log;
            throw new TimeoutException($"{e.Message}; {state}\n--- daemon log (last 8000 chars) ---\n{log[Math.Max(0, log.Length - 8000)..]}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
        _process?.Dispose();
        _sandbox.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A FIFO or a file still held open must not fail the test's cleanup.
        }
        _logChanged.Dispose();
    }

    private static string Indent(string lines) =>
        string.Join("\n", lines.Split('\n').Select((l, i) => i == 0 || l.Length == 0 ? l : "  " + l));

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_lock) _log.AppendLine(line);
        _logChanged.Release();
    }

    private static void Signal(int pid, PosixSignalName signal)
    {
        using var kill = Process.Start("kill", ["-" + signal.ToString().ToUpperInvariant(), pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {pid} exited with {kill.ExitCode}");
    }
}

/// <summary>Signals the tests send to the daemon.</summary>
public enum PosixSignalName
{
    Term,
    Int,
    Kill,
    Hup,
    Usr1,
    Stop,
    Cont,
}
