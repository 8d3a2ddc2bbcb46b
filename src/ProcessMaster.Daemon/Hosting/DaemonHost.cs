using System.Runtime.InteropServices;
using System.Threading.Channels;
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
using ProcessMaster.Linux.Systemd;
using ProcessMaster.Linux.Watchers;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Text;

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
    private readonly ServiceManagerEnvironment _manager;
    private readonly bool _journalStderr;

    private DaemonHost(ServiceManagerEnvironment manager)
    {
        _manager = manager;
        _journalStderr = JournalStream.IsStderr(manager.JournalStream);
    }

    /// <summary>Entry point from the command line; returns the process exit code.</summary>
    public static int Run(string configPath, FaultInjection faults)
    {
        var host = new DaemonHost(ServiceManagerEnvironment.TakeFromProcess());
        try
        {
            return host.RunAsync(configPath, faults).GetAwaiter().GetResult();
        }
        catch (StartupException e)
        {
            host.WriteError($"processmaster: cannot start: {e.Message}");
            return 1;
        }
    }

    /// <summary>A problem that stops the start, on stderr (with the journal's error priority when stderr is the journal).</summary>
    private void WriteError(string text) =>
        Console.Error.WriteLine(_journalStderr ? $"<{(int)EventSeverity.Error}>{TerminalText.Escape(text)}" : TerminalText.EscapeLines(text));

    /// <summary>Asks the daemon to shut down (signal handler, RPC). <paramref name="stopServices"/> stops every service first.</summary>
    public void RequestShutdown(bool stopServices) => _shutdown.TrySetResult(stopServices);

    private async Task<int> RunAsync(string configPath, FaultInjection faults)
    {
        Console.WriteLine(BuildInfo.Banner);
        MasterConfigLoad load = MasterConfigLoad.FromFile(configPath);
        foreach (ConfigError problem in load.Errors) WriteError(problem.ToString());
        if (load.Config is not { } config) return 1;
        StartupPlan plan = StartupChecks.Plan(config, DaemonIdentity.Current());
        foreach (ConfigError problem in plan.Problems) WriteError(problem.ToString());
        if (plan.Problems.Count > 0) return 1;
        if (plan.DropTo is { } target) PrivilegeDrop.PrepareLocations(config.Global, target);

        var journal = new EventJournal(TimeProvider.System);
        await using var logFile = new DaemonLogFile(config.Global.LogFile);
        await using var stderr = new StderrSink(TimeProvider.System);
        using IDisposable sinks = journal.Subscribe(e =>
        {
            string line = e.ToLogLine();
            stderr.Append(_journalStderr ? e.ToJournalLine() : line);
            logFile.Append(line);
        });
        journal.Append("daemon", null, $"starting: {BuildInfo.Banner} config={load.Path} pid={Environment.ProcessId}");
        DaemonLimits.RaiseOpenFiles(journal);
        await using var manager = new ServiceManagerLink(_manager, journal);
        var logReopen = new DaemonLogReopen(logFile, journal);
        // Caught from here on: SIGHUP and SIGUSR1 never kill the daemon (N-09); SIGHUP reloads once definitions are loaded.
        await using var signals = new DaemonSignals(journal, logReopen.OnSignalAsync);
        if (plan.DropTo is not null)
            journal.Append("daemon", null, $"global.user: binding the socket and delegating the master cgroup as root, then dropping to {plan.Identity}; every service runs as that user");
        else if (!plan.Identity.IsRoot)
            journal.Append("daemon", null, $"not running as root: every service runs as {plan.Identity}; provisioning ownership/capabilities and admin actions are refused at load; cgroups must be delegated to this user");

        // Bound first, as root: a live daemon on this socket is detected before any cgroup is touched.
        await using UnixSocketListener listener = BindSocket(config.UnixSocket, journal);
        using MasterCgroup master = CgroupBootstrap.Setup(config.Cgroup, journal, _manager.StartedBySystemd);
        if (plan.DropTo is { } user)
        {
            PrivilegeDrop.DelegateCgroup(master, user, journal);
            PrivilegeDrop.Drop(user, journal);
        }

        var children = new ChildProcessRegistry();
        DiscoveredDefinitions definitions = DefinitionDiscovery.LoadAndProvision(load.DiscoveryOptions(dryRun: false, children));
        foreach (ConfigError problem in definitions.Problems) journal.Append("config", null, problem.ToString(), EventSeverity.Error);
        foreach (string note in definitions.Notes) journal.Append("config", null, note);

        FlagRuleSet rules = LoadFlagRules(config.Global.FlagRulesFile, journal);

        await using StateStore store = OpenStateStore(config.Global.StateFile, journal);
        PersistedState? saved = store.Load();
        string? bootId = ProcStat.TryReadBootId();
        bool sameBoot = saved is not null && saved.BootId == bootId;

        string pipes = Path.Combine(Path.GetDirectoryName(store.Path)!, "pipes");
        using var captures = new ServiceCaptures(OpenPipeDirectory(pipes), journal);
        using ExitRecords exits = OpenExitRecords(Path.GetDirectoryName(store.Path)!, journal);
        using var reaper = new OrphanReaper(children);
        var kernelEvents = Channel.CreateUnbounded<KernelEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var watcher = new KernelEventWatcher(kernelEvents.Writer);
        var spawner = new Spawner(children, watcher);
        if (spawner.CheckCloneIntoCgroup(master.Node) is { } fallback)
            journal.Append("daemon", null, fallback);
        if (spawner.Defaults.ResetOomScoreAdj)
            journal.Append("daemon", null, "the daemon's oom_score_adj is not 0; every child starts with oom_score_adj 0");
        if (faults.Describe() is { Length: > 0 } fault) journal.Append("daemon", null, fault, EventSeverity.Warning);
        // Memory back once quiet after boot, a reload, a burst of commands or status calls (docs/performance.md, "Memory").
        using var trim = new IdleTrim(TimeProvider.System);
        await using var loop = new SupervisorLoop(new DaemonClock(TimeProvider.System), journal, spawner, master, captures, watcher, kernelEvents.Reader, exits: exits)
        {
            SkippedLimitFiles = faults.SkippedLimitFiles,
        };
        // One snapshot per burst of changes (a boot of 1000 services changes state thousands of times), and a command's
        // reply waits until its change is on disk (docs/reliability.md).
        var saver = new StateSaver(loop, store, bootId);
        loop.StateChanged += trim.Poke;
        loop.Start();
        trim.Poke();
        await loop.BootAsync(definitions.Definitions, rules, saved, sameBoot).ConfigureAwait(false);
        using var source = new DefinitionSource(load, rules, children);
        var admin = new AdminActions(config.AdminActions, master, spawner, journal);
        int connections = ConnectionBudget(journal);
        using var logReading = new LogReading(OpenFileBudget.Followers(connections), OpenFileBudget.FollowedFiles(connections));
        var notices = new DaemonNotices();
        var rpcStatistics = new RpcStatistics();
        rpcStatistics.Recorded += trim.Poke;
        using var metrics = new Metrics.MetricsExposition(loop, journal, rpcStatistics);
        using var masterReload = new MasterReload(load, source, logReopen, admin, journal);
        var api = new SupervisorApi(loop, journal, logReading, admin, source, RequestShutdown, notices, metrics, masterReload, logReopen, saver);
        await using var rpc = new DaemonRpcServer(api, SocketOptions(config.UnixSocket), new RpcServerOptions { MaxConnections = connections },
            new LinuxSocketOwnership(), message => journal.Append("rpc", null, message, EventSeverity.Warning));
        rpc.Start(listener);
        journal.Append("rpc", null, $"listening on {rpc.SocketPath}");
        await using WebConsole? console = config.WebConsole.Enabled
            ? new WebConsole(config.WebConsole, Path.GetDirectoryName(load.Path)!, new RpcMethods(api), journal, notices, master.Node.Path, trim)
            : null;
        if (console is not null)
        {
            loop.StateChanged += console.Signal;
            console.Start();
        }
        journal.Append("daemon", null, $"running: {definitions.Definitions.Count} definitions loaded, {definitions.Problems.Count} problems");
        if (console is not null) await console.Started.ConfigureAwait(false);
        manager.Ready($"serving on {rpc.SocketPath}; {definitions.Definitions.Count} definitions, {definitions.Problems.Count} problems" +
                      (console is null ? "" : $"; web console {console.Address ?? "not serving"}"));
        manager.StartWatchdog(() => loop.InvokeAsync(static () => true), TimeProvider.System);

        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        signals.EnableReload(() => api.UpdateAsync(false, SignalCaller, CancellationToken.None));

        bool stopServices = await _shutdown.Task.ConfigureAwait(false) || masterReload.Current.Global.StopServicesOnShutdown;
        manager.Stopping(stopServices ? "stopping every service, then saving state" : "saving state; services keep running");
        if (stopServices)
        {
            journal.Append("daemon", null, "shutting down: stopping every service first");
            await loop.StopAsync(SupervisorLoop.All, Core.Lifecycle.Requester.System).ConfigureAwait(false);
        }
        else
        {
            journal.Append("daemon", null, "shutting down: services keep running in their cgroups; the next daemon adopts them");
        }
        // Whoever still waits (a stop in a long grace period) is answered now, so nothing holds the exit; the stop itself
        // stays under way in the saved state and the next daemon carries it on.
        await loop.ReleaseWaitersAsync("the daemon is shutting down before this finished; the service is left as it is and the next daemon carries on from there").ConfigureAwait(false);
        await saver.SaveNowAsync().ConfigureAwait(false);
        journal.Append("daemon", null, $"state saved to {store.Path}; exiting");
        return 0;
    }

    /// <summary>The connection limit: what RLIMIT_NOFILE (raised to the hard limit at start) leaves room for, up to <see cref="OpenFileBudget.MaxConnections"/> (N-17).</summary>
    private static int ConnectionBudget(EventJournal journal)
    {
        long? soft = OpenFileBudget.SoftLimit();
        int connections = OpenFileBudget.Connections(soft);
        if (connections < OpenFileBudget.MaxConnections)
            journal.Append("rpc", null, $"RLIMIT_NOFILE (soft {soft}) leaves room for {connections} socket connections, not {OpenFileBudget.MaxConnections}; " +
                                        "raise the daemon's open-file limit (e.g. LimitNOFILE= in its systemd unit) to allow more", EventSeverity.Warning);
        return connections;
    }

    private static UnixSocketOptions SocketOptions(UnixSocketSettings socket) =>
        new(socket.Path, (UnixFileMode)socket.Mode.Value, socket.Owner, socket.Group);

    private static UnixSocketListener BindSocket(UnixSocketSettings socket, EventJournal journal)
    {
        try
        {
            return UnixSocketListener.Bind(SocketOptions(socket), new LinuxSocketOwnership(), message => journal.Append("rpc", null, message, EventSeverity.Warning));
        }
        catch (SocketSetupException e)
        {
            throw new StartupException(e.Message);
        }
    }

    private static ExitRecords OpenExitRecords(string stateDirectory, EventJournal journal)
    {
        try
        {
            ExitRecords exits = ExitRecords.Open(stateDirectory);
            if (exits.KeeperProblem is { } problem)
                journal.Append("daemon", null, $"{problem}; exit keepers wait in a copy of the daemon instead (the same records, more memory each)", EventSeverity.Warning);
            return exits;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Linux.LinuxException)
        {
            throw new StartupException($"exit records {Path.Combine(stateDirectory, ExitRecords.DirectoryName)}: {e.Message}");
        }
    }

    private static StateStore OpenStateStore(string path, EventJournal journal)
    {
        try
        {
            return new StateStore(path, journal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"global.state_file {path}: {e.Message}");
        }
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

    /// <summary>Who SIGHUP's reload is requested by, in its events.</summary>
    private static readonly RpcCaller SignalCaller = new("SIGHUP");

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
                journal.Append("flag", null, $"{path}: cannot read ({e.Message}); using the built-in rules", EventSeverity.Warning);
            }
        }
        FlagRuleLoad loaded = FlagRuleSet.Load(text, path);
        journal.Append("flag", null, $"flag rules: {loaded.Source}{(loaded.Reason is null ? "" : $" ({loaded.Reason})")}");
        foreach (string diagnostic in loaded.Diagnostics) journal.Append("flag", null, diagnostic, EventSeverity.Warning);
        return loaded.Rules;
    }
}
