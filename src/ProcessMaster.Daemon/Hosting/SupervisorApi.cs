using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Logs;
using ProcessMaster.Daemon.Persistence;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Daemon.Supervision.Status;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Files;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// The RPC surface's view of the daemon (<see cref="ISupervisorApi"/>): each call is answered by the supervision
/// loop, the journal, the log reader or the admin actions, and mapped onto the protocol's DTOs. A call that changes
/// what the state file keeps (start, stop, restart, update, enable, disable, flag, unflag) is answered only once that
/// change is on disk (<paramref name="saver"/>), so a daemon killed right after the reply keeps it; a change that could
/// not be saved is an error for the caller. Reads (status, logs, events) never wait for the disk.
/// </summary>
internal sealed class SupervisorApi(
    SupervisorLoop loop,
    EventJournal journal,
    LogReading logs,
    AdminActions admin,
    DefinitionSource definitions,
    Action<bool> requestShutdown,
    DaemonNotices? notices = null,
    Metrics.MetricsExposition? metrics = null,
    MasterReload? master = null,
    DaemonLogReopen? daemonLog = null,
    StateSaver? saver = null) : ISupervisorApi
{
    public RpcStatistics? Statistics => metrics?.Rpc;

    public Task<MetricsResult> MetricsAsync(RpcCaller caller, CancellationToken cancellationToken) =>
        metrics is null
            ? throw new RpcException(RpcErrorCodes.MethodNotFound, "metrics are not served by this daemon")
            : Guard(() => metrics.RenderAsync(cancellationToken));

    public async Task<StatusResult> StatusAsync(string? name, bool resources, RpcCaller caller, CancellationToken cancellationToken)
    {
        IReadOnlyList<ServiceView> views = await Guard(() => loop.StatusAsync(name, resources)).ConfigureAwait(false);
        return new StatusResult { Statuses = [.. views.Select(StatusMapping.ToEntry)], Notices = notices?.Current ?? [] };
    }

    public Task<EventsResult> EventsAsync(string? name, int count, RpcCaller caller, CancellationToken cancellationToken) =>
        Task.FromResult(journal.Last(count, name).ToResult());

    public async Task<LogsResult> LogsAsync(string name, int lines, RpcCaller caller, CancellationToken cancellationToken)
    {
        IReadOnlyList<ServiceLogFile> files = await Guard(() => loop.LogFilesAsync(name)).ConfigureAwait(false);
        return await Task.Run(() => LogReading.Tail(files, lines), cancellationToken).ConfigureAwait(false);
    }

    public async Task<LogFollowSession> FollowLogsAsync(string? name, string? file, int lines, RpcCaller caller, CancellationToken cancellationToken)
    {
        IReadOnlyList<ServiceLogFile> files = await Guard(() => loop.LogFilesAsync(name)).ConfigureAwait(false);
        if (file is not null) files = [.. files.Where(f => f.Name == file)];
        if (files.Count == 0)
            throw new RpcException(RpcErrorCodes.Refused, file is null ? "no log files to follow" : $"no log files found matching filename {file}");
        return logs.Follow(files, lines);
    }

    public async Task<ServiceActionResult> StartAsync(string target, bool force, RpcCaller caller, CancellationToken cancellationToken) =>
        Outcome(await Saved(() => Guard(() => loop.StartAsync(target, force, Requester.Operator, caller))).ConfigureAwait(false), "started");

    public async Task<ServiceActionResult> StopAsync(string target, bool force, RpcCaller caller, CancellationToken cancellationToken) =>
        Outcome(await Saved(() => Guard(() => loop.StopAsync(target, Requester.Operator, caller, force))).ConfigureAwait(false), "stopped");

    public async Task<ServiceActionResult> RestartAsync(string target, bool force, RpcCaller caller, CancellationToken cancellationToken) =>
        Outcome(await Saved(() => Guard(() => loop.RestartAsync(target, force, Requester.Operator, caller))).ConfigureAwait(false), "restarted");

    public Task<UpdateResult> UpdateAsync(bool reloadMaster, RpcCaller caller, CancellationToken cancellationToken) =>
        Saved(() => ReloadAsync(reloadMaster, caller));

    private async Task<UpdateResult> ReloadAsync(bool reloadMaster, RpcCaller caller)
    {
        if (reloadMaster)
        {
            if (master is null) throw new RpcException(RpcErrorCodes.Refused, "update --master: this daemon cannot re-read its master configuration");
            return await master.UpdateAsync(loop, caller).ConfigureAwait(false);
        }
        journal.Append("cmd", null, $"update (reload the service definitions) requested by {caller.Display}");
        ReloadReport report = await definitions.ReloadAsync(loop).ConfigureAwait(false);
        return new UpdateResult
        {
            Message = $"updated: {report.Summary}",
            Restarted = report.Modified,
            Warnings = report.Problems,
            Applied = report.Problems.Count == 0,
        };
    }

    public async Task<LogReopenResult> LogReopenAsync(RpcCaller caller, CancellationToken cancellationToken)
    {
        if (daemonLog is null) throw new RpcException(RpcErrorCodes.Refused, "log_reopen: this daemon has no log file");
        if (await daemonLog.ReopenAsync(caller.Display).ConfigureAwait(false) is { } error)
            throw new RpcException(RpcErrorCodes.OperationFailed, $"log_reopen: cannot open {daemonLog.Path}: {error}; events still go to stderr and `pmctl events`");
        return new LogReopenResult { Path = daemonLog.Path, Message = $"daemon log reopened: {daemonLog.Path}" };
    }

    public Task<EnableResult> SetEnabledAsync(string name, bool enabled, RpcCaller caller, CancellationToken cancellationToken) =>
        Saved(() => RewriteEnabledAsync(name, enabled, caller));

    private async Task<EnableResult> RewriteEnabledAsync(string name, bool enabled, RpcCaller caller)
    {
        string file = (await Guard(() => loop.DefinitionAsync(name)).ConfigureAwait(false)).SourceFile;
        try
        {
            using ConfinedDirectory directory = ConfinedDirectory.Open(Path.GetDirectoryName(file)!);
            RefuseUnwritable(name, file, directory);
            string text = directory.ReadText(Path.GetFileName(file), Linux.Definitions.DefinitionDiscovery.MaxFileBytes);
            string rewritten = EnableSwitch.Rewrite(text, enabled);
            directory.WriteAtomically(Path.GetFileName(file), System.Text.Encoding.UTF8.GetBytes(rewritten), Linux.Files.UnixMode.Mode0644, overwrite: true);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            throw new RpcException(RpcErrorCodes.OperationFailed, $"service \"{name}\": cannot rewrite {file}: {e.Message}; edit global.enabled by hand and run `pmctl update`");
        }
        journal.Append("cmd", name, $"{(enabled ? "enabled" : "disabled")} in {file} by {caller.Display}");
        ReloadReport report = await definitions.ReloadAsync(loop).ConfigureAwait(false);
        return new EnableResult { Name = name, Enabled = enabled, Message = $"{(enabled ? "enabled" : "disabled")} {name}; {report.Summary}" };
    }

    /// <summary>
    /// A daemon that is not root (global.user, or started as a user) cannot replace a definition in a directory
    /// root owns: a trusted directory is writable by its owner only. Say so, and why it is so, instead of EACCES.
    /// </summary>
    private static void RefuseUnwritable(string name, string file, ConfinedDirectory directory)
    {
        Linux.Credentials.DaemonIdentity daemon = Linux.Credentials.DaemonIdentity.Current();
        EntryStatus status = directory.Status();
        if (daemon.IsRoot || status.Uid == daemon.Uid) return;
        throw new RpcException(RpcErrorCodes.OperationFailed,
            $"service \"{name}\": cannot rewrite {file}: the daemon runs as {daemon} and {directory.Path} is owned by uid {status.Uid}, "
            + "so it cannot write there (definitions are trusted only when nobody but root and the daemon's own user can change them); "
            + $"as uid {status.Uid}, set global.enabled in {file} by hand and run `pmctl update`");
    }

    public async Task<FlagResult> FlagAsync(string name, IReadOnlyList<string> flags, string? ttl, RpcCaller caller, CancellationToken cancellationToken)
    {
        TimeSpan? lifetime = null;
        if (ttl is not null)
        {
            if (!Ttl.TryParse(ttl, out Ttl parsed, out string error)) throw RpcException.InvalidParams("flag", error);
            lifetime = parsed.TimeSpan;
        }
        return FlagOutcome(name, await Saved(() => Guard(() => loop.FlagAsync(name, flags, lifetime, caller))).ConfigureAwait(false));
    }

    public async Task<FlagResult> UnflagAsync(string name, IReadOnlyList<string> flags, RpcCaller caller, CancellationToken cancellationToken) =>
        FlagOutcome(name, await Saved(() => Guard(() => loop.UnflagAsync(name, flags, caller))).ConfigureAwait(false));

    public Task<AdminListResult> AdminListAsync(RpcCaller caller, CancellationToken cancellationToken) =>
        Task.FromResult(new AdminListResult { AdminActions = [.. admin.Configured.Select(a => new AdminActionInfo { Name = a.Id, Label = a.Label })] });

    public async Task<AdminRunResult> AdminRunAsync(string id, RpcCaller caller, CancellationToken cancellationToken)
    {
        try
        {
            int pid = await admin.RunAsync(id, caller).ConfigureAwait(false);
            return new AdminRunResult { Id = id, Pid = pid, Message = $"admin_action {id} spawned pid={pid}" };
        }
        catch (AdminActionException e)
        {
            throw new RpcException(e.Error switch
            {
                AdminActionError.Unknown => RpcErrorCodes.Refused,
                AdminActionError.NotPermitted => RpcErrorCodes.NotPermitted,
                _ => RpcErrorCodes.OperationFailed,
            }, e.Message);
        }
    }

    public Task<AdminPsResult> AdminPsAsync(RpcCaller caller, CancellationToken cancellationToken)
    {
        IReadOnlyList<int> pids = Kernel(admin.Processes);
        return Task.FromResult(new AdminPsResult { Pids = pids, Message = pids.Count == 0 ? "(none)" : string.Join('\n', pids) });
    }

    public Task<AdminKillResult> AdminKillAsync(RpcCaller caller, CancellationToken cancellationToken)
    {
        int count = Kernel(() => admin.KillAll(caller));
        return Task.FromResult(new AdminKillResult { PidsBefore = count, Message = $"killed admin actions via cgroup.kill (pids_before={count})" });
    }

    public async Task<PerfMetricsResult> PerfMetricsAsync(string name, RpcCaller caller, CancellationToken cancellationToken)
    {
        string cgroup = await Guard(() => loop.EnsureCgroupAsync(name)).ConfigureAwait(false);
        return Kernel(() => PerfMetricsReader.Read(name, cgroup));
    }

    public Task<ShutdownResult> ShutdownAsync(bool stopServices, RpcCaller caller, CancellationToken cancellationToken)
    {
        journal.Append("daemon", null, $"shutdown requested by {caller.Display}{(stopServices ? " (stopping every service first)" : "")}");
        requestShutdown(stopServices);
        return Task.FromResult(new ShutdownResult
        {
            StopServices = stopServices,
            Message = stopServices ? "shutting down: stopping every service first" : "shutting down: services keep running",
        });
    }

    private static ServiceActionResult Outcome(IReadOnlyList<ServiceOutcome> outcomes, string verb)
    {
        var targets = outcomes.Select(o => new TargetOutcome
        {
            Name = o.Service,
            Ok = o.Ok,
            Message = o.Ok ? $"{o.Service}: {verb} ({o.Runtime.PhaseOf().Name()})" : $"{o.Service}: {o.Error}",
        }).ToList();
        string message = string.Join('\n', targets.Select(t => t.Message));
        if (targets.Any(t => !t.Ok)) throw new RpcException(RpcErrorCodes.OperationFailed, message);
        return new ServiceActionResult { Message = message.Length == 0 ? "(no services)" : message, Targets = targets };
    }

    private static FlagResult FlagOutcome(string name, UserFlagsOutcome outcome)
    {
        if (outcome.Error is not null) throw new RpcException(RpcErrorCodes.InvalidParams, name == SupervisorLoop.All ? outcome.Error : $"service {name}: {outcome.Error}");
        FlagTarget[] targets = [.. outcome.Services.Select(a => new FlagTarget { Name = a.Service, Flags = [.. a.Flags.Names] }).OrderBy(t => t.Name, StringComparer.Ordinal)];
        string[] flags = [.. targets.SelectMany(t => t.Flags).Distinct().Order(StringComparer.Ordinal)];
        string message = targets.Length == 0 ? "(no services)" : string.Join('\n', targets.Select(t => $"{t.Name}: flags={string.Join(',', t.Flags)}"));
        return new FlagResult { Name = name, Flags = flags, Message = message, Targets = targets };
    }

    /// <summary>
    /// Runs a call that may change the saved state and returns once what it changed is on disk. A save that failed is
    /// the caller's error (with the call's own error, when it had one): the change holds in this daemon only.
    /// </summary>
    private async Task<T> Saved<T>(Func<Task<T>> call)
    {
        T result;
        try
        {
            result = await call().ConfigureAwait(false);
        }
        catch (RpcException e) when (saver is not null)
        {
            if (await UnsavedAsync().ConfigureAwait(false) is { } unsaved) throw new RpcException(e.Code, $"{e.Message}\n{unsaved}", e.ErrorData);
            throw;
        }
        if (await UnsavedAsync().ConfigureAwait(false) is { } problem) throw new RpcException(RpcErrorCodes.OperationFailed, problem);
        return result;
    }

    /// <summary>Null once every change so far is on disk; else what the caller is told.</summary>
    private async Task<string?> UnsavedAsync()
    {
        if (saver is null) return null;
        try
        {
            await saver.SavedAsync().ConfigureAwait(false);
            return null;
        }
        catch (StateSaveException e)
        {
            return $"done in the running daemon, but NOT saved: {e.Message}; a daemon restart would lose this change; " +
                   "make the state directory writable (or free space on it), then repeat the command";
        }
    }

    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (UnknownServiceException e)
        {
            throw RpcException.UnknownService(e.Name);
        }
    }

    private static T Kernel<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            throw new RpcException(RpcErrorCodes.OperationFailed, e.Message);
        }
    }
}
