using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// <c>pmctl update --master</c>: read the master configuration again. One with a problem changes nothing (every
/// problem is listed). Otherwise the keys <see cref="MasterConfigChanges"/> calls live are applied (the daemon log is
/// reopened at its new path, the admin actions replaced, the shutdown switch and the discovery keys taken over), every
/// other changed key is named as needing a restart, and the definitions are reloaded with the new discovery keys.
/// </summary>
internal sealed class MasterReload(MasterConfigLoad boot, DefinitionSource definitions, DaemonLogReopen log, AdminActions admin, EventJournal journal) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private MasterConfigLoad _inForce = boot;

    /// <summary>The master configuration in force: the boot one with the live keys applied since.</summary>
    public MasterConfig Current => Volatile.Read(ref _inForce).Config!;

    public async Task<UpdateResult> UpdateAsync(SupervisorLoop loop, RpcCaller caller)
    {
        await _one.WaitAsync().ConfigureAwait(false);
        try
        {
            string path = _inForce.Path;
            journal.Append("cmd", null, $"update --master (re-read {path}, then reload the service definitions) requested by {caller.Display}");
            MasterConfigLoad next = await Task.Run(() => MasterConfigLoad.FromFile(path)).ConfigureAwait(false);
            if (next.Config is not { } config)
            {
                foreach (ConfigError problem in next.Errors) journal.Append("config", null, $"update --master: {problem}", EventSeverity.Error);
                string message = $"update skipped: {path} has {next.Errors.Count} problem{(next.Errors.Count == 1 ? "" : "s")}; nothing changed (the daemon keeps the master configuration and the definitions it has)";
                journal.Append("config", null, message, EventSeverity.Error);
                return new UpdateResult { Message = message, Warnings = [.. next.Errors.Select(e => e.ToString())], Applied = false };
            }

            IReadOnlyList<MasterKeyChange> changes = MasterConfigChanges.Compare(Current, config);
            var problems = new List<string>();
            if (config.Global.LogFile != Current.Global.LogFile
                && await log.ReopenAsync($"update --master by {caller.Display}", config.Global.LogFile).ConfigureAwait(false) is { } error)
                problems.Add($"global.log_file: cannot open {config.Global.LogFile}: {error}; events still go to stderr and `pmctl events`");
            admin.Configured = config.AdminActions;
            MasterConfigLoad inForce = next with { Config = MasterConfigChanges.ApplyLive(Current, config) };
            Volatile.Write(ref _inForce, inForce);
            foreach (MasterKeyChange change in changes)
                journal.Append("config", null, change.Live ? $"update --master: {change.Key} applied" : $"update --master: {change}");
            if (changes.Count == 0) journal.Append("config", null, "update --master: the master configuration is unchanged");

            ReloadReport report = await definitions.ReloadAsync(loop, inForce).ConfigureAwait(false);
            problems.AddRange(report.Problems);
            return new UpdateResult
            {
                Message = $"updated: master configuration: {Summary(changes)}; definitions: {report.Summary}",
                Restarted = report.Modified,
                Warnings = problems,
                Applied = problems.Count == 0,
                MasterApplied = [.. changes.Where(c => c.Live).Select(c => c.Key)],
                RestartRequired = [.. changes.Where(c => !c.Live).Select(c => c.ToString())],
            };
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose() => _one.Dispose();

    private static string Summary(IReadOnlyList<MasterKeyChange> changes)
    {
        int live = changes.Count(c => c.Live);
        return changes.Count == 0 ? "unchanged" : $"{live} key{(live == 1 ? "" : "s")} applied, {changes.Count - live} need{(changes.Count - live == 1 ? "s" : "")} a restart";
    }
}
