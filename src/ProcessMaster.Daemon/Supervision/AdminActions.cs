using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Operator-triggered commands from <c>admin_actions</c> (seed): fire-and-forget, root only, in the
/// <c>admin_actions</c> cgroup, run in the daemon's working directory with output appended to
/// <c>./logs/admin_action_stdout.log</c> and <c>./logs/admin_action_stderr.log</c>, and
/// <c>PROCESSMASTER_ADMIN_ACTION=&lt;id&gt;</c> in their environment. They survive a daemon shutdown (an action
/// may well be "restart processmaster").
/// </summary>
internal sealed class AdminActions(IReadOnlyList<AdminAction> configured, MasterCgroup master, Spawner spawner, EventJournal journal)
{
    /// <summary>The environment variable naming the action.</summary>
    public const string ActionVariable = "PROCESSMASTER_ADMIN_ACTION";

    public IReadOnlyList<AdminAction> Configured { get; } = configured;

    /// <summary>Starts action <paramref name="id"/> (exact, case-sensitive) and returns its pid once it runs.</summary>
    public async Task<int> RunAsync(string id, RpcCaller caller)
    {
        AdminAction action = Configured.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.Ordinal))
            ?? throw new AdminActionException(AdminActionError.Unknown,
                $"admin action \"{id}\" is not configured; `pmctl admin-list` shows the configured ones (ids are case-sensitive)");
        if (!Privileges.IsRoot)
            throw new AdminActionException(AdminActionError.NotPermitted, $"admin action \"{id}\": admin actions need the daemon to run as root (it runs as uid {Privileges.EffectiveUid})");

        string logs = Path.GetFullPath("logs");
        Directory.CreateDirectory(logs);
        using AppCgroup cgroup = master.OpenAdminActions();
        var request = new SpawnRequest(action.Command[0], [.. action.Command.Skip(1)], Environment.CurrentDirectory,
            SpawnEnvironment.Clean(null, [new(ActionVariable, id)]))
        {
            CgroupPath = cgroup.Leaf.Path,
            Stdout = SpawnOutput.AppendFile(Path.Combine(logs, "admin_action_stdout.log")),
            Stderr = SpawnOutput.AppendFile(Path.Combine(logs, "admin_action_stderr.log")),
            Subject = $"admin action \"{id}\"",
        };
        journal.Append("admin_action", null, $"run {id} ({action.Label}) requested by {caller.Display}: {string.Join(' ', action.Command)}");
        SpawnResult result = await spawner.SpawnAsync(request).ConfigureAwait(false);
        switch (result)
        {
            case SpawnResult.Started started:
                journal.Append("admin_action", null, $"{id} started, pid {started.Pid}");
                _ = ReapAsync(id, started);
                return started.Pid;
            case SpawnResult.Failed failed:
                journal.Append("admin_action", null, failed.Message);
                throw new AdminActionException(AdminActionError.Failed, failed.Message);
            default:
                throw new InvalidOperationException("unknown spawn result");
        }
    }

    /// <summary>The pids in the admin-actions cgroup, sorted.</summary>
    public IReadOnlyList<int> Processes()
    {
        using AppCgroup cgroup = master.OpenAdminActions();
        return [.. cgroup.Node.ReadProcsRecursive().Order()];
    }

    /// <summary>Kills every admin action with <c>cgroup.kill</c>; returns how many processes there were.</summary>
    public int KillAll(RpcCaller caller)
    {
        using AppCgroup cgroup = master.OpenAdminActions();
        int count = cgroup.Node.ReadProcsRecursive().Count;
        cgroup.Node.Kill();
        journal.Append("admin_action", null, $"kill all requested by {caller.Display}: cgroup.kill of {cgroup.Node.Path} ({count} processes)");
        return count;
    }

    private async Task ReapAsync(string id, SpawnResult.Started started)
    {
        using var process = started.Process;
        await process.WaitForExitAsync().ConfigureAwait(false);
        journal.Append("admin_action", null, $"{id} (pid {started.Pid}) {SupervisorLoop.ExitStatusOf(process.ExitCode)}");
    }
}

/// <summary>Why an admin action did not run.</summary>
internal enum AdminActionError
{
    Unknown,
    NotPermitted,
    Failed,
}

/// <summary>An admin action that did not run; the message says why.</summary>
internal sealed class AdminActionException(AdminActionError error, string message) : Exception(message)
{
    public AdminActionError Error { get; } = error;
}
