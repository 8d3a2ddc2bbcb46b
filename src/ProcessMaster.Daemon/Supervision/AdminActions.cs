using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Operator-triggered commands from <c>admin_actions</c> (seed): fire-and-forget, root only, in the
/// <c>admin_actions</c> cgroup, run in the daemon's working directory with output appended to
/// <c>./logs/admin_action_stdout.log</c> and <c>./logs/admin_action_stderr.log</c> (opened by the daemon, no-follow), umask 022, and
/// <c>PROCESSMASTER_ADMIN_ACTION=&lt;id&gt;</c> in their environment. They survive a daemon shutdown (an action
/// may well be "restart processmaster").
/// </summary>
internal sealed class AdminActions(IReadOnlyList<AdminAction> configured, MasterCgroup master, Spawner spawner, EventJournal journal)
{
    /// <summary>The environment variable naming the action.</summary>
    public const string ActionVariable = "PROCESSMASTER_ADMIN_ACTION";

    /// <summary>The configured actions (replaced whole by <c>pmctl update --master</c>).</summary>
    public IReadOnlyList<AdminAction> Configured { get; set; } = configured;

    /// <summary>Starts action <paramref name="id"/> (exact, case-sensitive) and returns its pid once it runs.</summary>
    public async Task<int> RunAsync(string id, RpcCaller caller)
    {
        AdminAction action = Configured.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.Ordinal))
            ?? throw new AdminActionException(AdminActionError.Unknown,
                $"admin action \"{id}\" is not configured; `pmctl admin-list` shows the configured ones (ids are case-sensitive)");
        if (!Privileges.IsRoot)
            throw new AdminActionException(AdminActionError.NotPermitted, $"admin action \"{id}\": admin actions need the daemon to run as root (it runs as uid {Privileges.EffectiveUid})");

        using ServiceCgroup cgroup = master.OpenAdminActions();
        using SpawnDescriptors outputs = OpenLogs(id);
        var request = new SpawnRequest(action.Command[0], [.. action.Command.Skip(1)], Environment.CurrentDirectory,
            SpawnEnvironment.Clean(null, [new(ActionVariable, id)]))
        {
            Cgroup = cgroup.Leaf,
            Stdout = outputs.Stdout,
            Stderr = outputs.Stderr,
            Umask = FileCreationMask.ServiceDefault,
            Subject = $"admin action \"{id}\"",
        };
        journal.Append("admin_action", null, $"run {id} ({action.Label}) requested by {caller.Display}: {string.Join(' ', action.Command)}");
        SpawnResult result = await Task.Run(() => spawner.Spawn(request)).ConfigureAwait(false);
        switch (result)
        {
            case SpawnResult.Started started:
                journal.Append("admin_action", null, $"{id} started, pid {started.Pid}");
                _ = ReportExitAsync(id, started.Child);
                return started.Pid;
            case SpawnResult.Failed failed:
                journal.Append("admin_action", null, failed.Message, EventSeverity.Warning);
                throw new AdminActionException(AdminActionError.Failed, failed.Message);
            default:
                throw new InvalidOperationException("unknown spawn result");
        }
    }

    /// <summary>
    /// <c>./logs/admin_action_{stdout,stderr}.log</c> in the daemon's working directory, opened by the daemon without
    /// following a symlink (0640, regular, one link) and handed to the action as descriptors. A refused file is
    /// journaled and that stream discarded.
    /// </summary>
    private SpawnDescriptors OpenLogs(string id)
    {
        var outputs = new SpawnDescriptors();
        try
        {
            using ConfinedDirectory cwd = ConfinedDirectory.Open(Environment.CurrentDirectory);
            using ConfinedDirectory logs = cwd.OpenOrCreateDirectory("logs", LogDirectoryMode);
            outputs.Stdout = Open(logs, "admin_action_stdout.log");
            outputs.Stderr = Open(logs, "admin_action_stderr.log");
        }
        catch (IOException e)
        {
            journal.Append("admin_action", null, $"{id}: log directory {Path.GetFullPath("logs")}: {e.Message}; its output is discarded", EventSeverity.Warning);
        }
        return outputs;

        SpawnOutput Open(ConfinedDirectory logs, string name)
        {
            try
            {
                return outputs.Keep(logs.OpenAppendFile(name, LogFileMode));
            }
            catch (IOException e)
            {
                journal.Append("admin_action", null, $"{id}: {e.Message}; this output is discarded", EventSeverity.Warning);
                return SpawnOutput.Null;
            }
        }
    }

    private const uint LogDirectoryMode = Linux.Files.UnixMode.Mode0750;
    private const uint LogFileMode = 0x1A0; // 0640

    /// <summary>The pids in the admin-actions cgroup, sorted.</summary>
    public IReadOnlyList<int> Processes()
    {
        using ServiceCgroup cgroup = master.OpenAdminActions();
        return [.. cgroup.Node.ReadProcsRecursive().Order()];
    }

    /// <summary>Kills every admin action with <c>cgroup.kill</c>; returns how many processes there were.</summary>
    public int KillAll(RpcCaller caller)
    {
        using ServiceCgroup cgroup = master.OpenAdminActions();
        int count = cgroup.Node.ReadProcsRecursive().Count;
        cgroup.Node.Kill();
        journal.Append("admin_action", null, $"kill all requested by {caller.Display}: cgroup.kill of {cgroup.Node.Path} ({count} processes)");
        return count;
    }

    private async Task ReportExitAsync(string id, ChildProcess child)
    {
        try
        {
            ExitStatus status = await child.Exit.ConfigureAwait(false);
            journal.Append("admin_action", null, $"{id} ({child}) {status}");
        }
        catch (LinuxException e)
        {
            journal.Append("admin_action", null, $"{id} ({child}): {e.Message}", EventSeverity.Warning);
        }
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
