using System.Runtime.InteropServices;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Flags;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Logs;
using ProcessMaster.Daemon.Persistence;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Daemon.Web;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Definitions;
using ProcessMaster.Linux.Logs;
using ProcessMaster.Linux.Procfs;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Protocol;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// Runs the daemon for one master configuration: boot (config, definitions, cgroups, saved state, adoption,
/// autostart), serve until SIGTERM/SIGINT, then persist and exit — leaving the services running in their
/// cgroups (SPEC §3.2) unless <c>global.stop_services_on_shutdown</c> or <c>pmctl shutdown --stop-services</c>
/// asks to stop them first.
/// </summary>
internal sealed class DaemonHost
{
    private readonly TaskCompletionSource<bool> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Entry point from the command line; returns the process exit code.</summary>
    public static int Run(string configPath)
    {
        try
        {
            return new DaemonHost().RunAsync(configPath).GetAwaiter().GetResult();
        }
        catch (StartupException e)
        {
            Console.Error.WriteLine($"processmaster: cannot start: {e.Message}");
            return 1;
        }
    }

    /// <summary>Asks the daemon to shut down (signal handler, RPC). <paramref name="stopServices"/> stops every service first.</summary>
    public void RequestShutdown(bool stopServices) => _shutdown.TrySetResult(stopServices);

    private async Task<int> RunAsync(string configPath)
    {
        Console.WriteLine(BuildInfo.Banner);
        MasterConfigLoad load = MasterConfigLoad.FromFile(configPath);
        foreach (ConfigError problem in load.Errors) Console.Error.WriteLine(problem);
        if (load.Config is not { } config) return 1;

        var journal = new EventJournal(TimeProvider.System);
        await using var logFile = new DaemonLogFile(config.Global.LogFile);
        using IDisposable sinks = journal.Subscribe(e =>
        {
            string line = e.ToLogLine();
            Console.Error.WriteLine(line);
            logFile.Append(line);
        });
        journal.Append("daemon", null, $"starting: {BuildInfo.Banner} config={load.Path} pid={Environment.ProcessId}");
        if (!Privileges.IsRoot)
            journal.Append("daemon", null, "not running as root: services run as the daemon's user, socket owner/group and provisioning ownership are refused; cgroups must be delegated to this user");

        PrivilegeDrop.Check(config.Global);

        // Another daemon on this socket owns these cgroups: refuse before touching anything.
        if (UnixSocketListener.IsAccepting(config.UnixSocket.Path))
            throw new StartupException($"unix socket {config.UnixSocket.Path}: a processmaster daemon is already running (the socket accepts connections); " +
                                       "stop it first (`pmctl shutdown`), or give this daemon another unix_socket.path");

        var children = new ChildProcessRegistry();
        DiscoveredDefinitions definitions = DefinitionDiscovery.Load(load.DiscoveryOptions(dryRun: false, children));
        foreach (ConfigError problem in definitions.Problems) journal.Append("config", null, problem.ToString());
        foreach (string note in definitions.Notes) journal.Append("config", null, note);

        using MasterCgroup master = CgroupBootstrap.Setup(config.Cgroup, journal);
        FlagRuleSet rules = LoadFlagRules(config.Global.FlagRulesFile, journal);

        await using var store = new StateStore(config.Global.StateFile, journal);
        PersistedState? saved = store.Load();
        string? bootId = ProcStat.TryReadBootId();
        bool sameBoot = saved is not null && saved.BootId == bootId;

        string pipes = Path.Combine(Path.GetDirectoryName(store.Path)!, "pipes");
        using var logs = new LogPlumbing(OpenPipeDirectory(pipes), new LogCompressor());
        using var reaper = new OrphanReaper(children);
        var spawner = new Spawner(children);
        await using var loop = new SupervisorLoop(new DaemonClock(TimeProvider.System), journal, spawner, master, logs);
        loop.StateChanged += () => store.Save(loop.Snapshot(bootId));
        loop.Start();
        await loop.BootAsync(definitions.Definitions, rules, saved, sameBoot).ConfigureAwait(false);
        using var source = new DefinitionSource(load, rules, children);
        var admin = new AdminActions(config.AdminActions, master, spawner, journal);
        using var logReading = new LogReading();
        var notices = new DaemonNotices();
        var api = new SupervisorApi(loop, journal, logReading, admin, source, RequestShutdown, notices);
        var socket = new UnixSocketOptions(config.UnixSocket.Path, (UnixFileMode)config.UnixSocket.Mode.Value, config.UnixSocket.Owner, config.UnixSocket.Group);
        await using var rpc = new DaemonRpcServer(api, socket, new RpcServerOptions { MaxFollowers = LogReading.MaxFollowers, MaxConnections = 512 },
            new LinuxSocketOwnership(), message => journal.Append("rpc", null, message));
        try
        {
            rpc.Start();
        }
        catch (SocketSetupException e)
        {
            throw new StartupException(e.Message);
        }
        journal.Append("rpc", null, $"listening on {rpc.SocketPath}");
        await using WebConsole? console = config.WebConsole.Enabled
            ? new WebConsole(config.WebConsole, Path.GetDirectoryName(load.Path)!, new RpcMethods(api), journal, notices, master.Node.Path)
            : null;
        if (console is not null)
        {
            loop.StateChanged += console.Signal;
            console.Start();
        }
        journal.Append("daemon", null, $"running: {definitions.Definitions.Count} definitions loaded, {definitions.Problems.Count} problems");

        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        bool stopServices = await _shutdown.Task.ConfigureAwait(false) || config.Global.StopServicesOnShutdown;
        if (stopServices)
        {
            journal.Append("daemon", null, "shutting down: stopping every service first");
            await loop.StopAsync(SupervisorLoop.All, Core.Lifecycle.Requester.System).ConfigureAwait(false);
        }
        else
        {
            journal.Append("daemon", null, "shutting down: services keep running in their cgroups; the next daemon adopts them");
        }
        PersistedState final = await loop.SnapshotAsync(bootId).ConfigureAwait(false);
        store.SaveNow(final);
        journal.Append("daemon", null, $"state saved to {store.Path}; exiting");
        return 0;
    }

    private static Linux.Files.ConfinedDirectory OpenPipeDirectory(string path)
    {
        try
        {
            return LogFifo.OpenRuntimeDirectory(path);
        }
        catch (IOException e)
        {
            throw new StartupException($"log pipe directory {path}: {e.Message}");
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        RequestShutdown(stopServices: false);
    }

    private static FlagRuleSet LoadFlagRules(string path, EventJournal journal)
    {
        string? text = null;
        if (File.Exists(path))
        {
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                journal.Append("flag", null, $"{path}: cannot read ({e.Message}); using the built-in rules");
            }
        }
        FlagRuleLoad loaded = FlagRuleSet.Load(text, path);
        journal.Append("flag", null, $"flag rules: {loaded.Source}{(loaded.Reason is null ? "" : $" ({loaded.Reason})")}");
        foreach (string diagnostic in loaded.Diagnostics) journal.Append("flag", null, diagnostic);
        return loaded.Rules;
    }
}
