using System.Diagnostics;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Signals;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>Carrying out effects. Slow work (spawning, waiting for a process) runs off the loop and reports back as an input.</summary>
internal sealed partial class SupervisorLoop
{
    private void Run(ServiceSlot slot, Effect effect)
    {
        switch (effect)
        {
            case Publish p:
                Announce(slot, p.Event);
                break;
            case Spawn:
                StartSpawn(slot);
                break;
            case SendSignal s:
                SignalAll(slot, s.Signal);
                break;
            case KillCgroup:
                KillAll(slot);
                break;
            case RunStopCommand:
                StartStopCommand(slot);
                break;
            case RecordRun r:
                slot.AddRun(r.Run);
                _journal.Append("schedule", slot.Name, DomainEventText.Run(r.Run));
                break;
            default:
                throw new UnreachableException($"unknown effect {effect.GetType().Name}");
        }
    }

    private void Announce(ServiceSlot slot, DomainEvent e)
    {
        (string component, string message) = DomainEventText.Describe(e, slot.Runtime);
        _journal.Append(component, slot.Name, message);
    }

    private void StartSpawn(ServiceSlot slot)
    {
        long generation = ++slot.SpawnGeneration;
        slot.SpawnInFlight = true;
        SpawnRequest request;
        ServiceIdentity identity;
        try
        {
            EnsureCgroup(slot);
            (SpawnOutput stdout, SpawnOutput stderr) = ServiceOutputs(slot);
            request = LaunchPlan.ForService(slot.Definition, slot.Cgroup!, stdout, stderr, out identity);
        }
        catch (LaunchException e)
        {
            Post(() => OnSpawnResult(slot, generation, new SpawnResult.Failed("prepare", Errno.None, null, e.Message)));
            return;
        }
        catch (Exception e) when (e is IOException or LinuxException or UnauthorizedAccessException)
        {
            Post(() => OnSpawnResult(slot, generation, new SpawnResult.Failed("cgroup", Errno.None, slot.Cgroup?.Node.Path,
                $"service \"{slot.Name}\": cannot prepare its cgroup: {e.Message}")));
            return;
        }
        _ = Task.Run(async () =>
        {
            SpawnResult result;
            try
            {
                result = await _spawner.SpawnAsync(request).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                result = new SpawnResult.Failed("start shim", Errno.None, _spawner.ShimPath, $"service \"{slot.Name}\": spawn failed: {e.Message}");
            }
            Post(() => OnSpawnResult(slot, generation, result, identity));
        });
    }

    private void OnSpawnResult(ServiceSlot slot, long generation, SpawnResult result, ServiceIdentity? identity = null)
    {
        if (!_slots.ContainsKey(slot.Name) || generation != slot.SpawnGeneration)
        {
            // A spawn the loop no longer waits for (the app was removed): do not leave its process behind.
            if (result is SpawnResult.Started orphan) KillAll(slot, $"late spawn of pid {orphan.Pid} after removal");
            return;
        }
        slot.SpawnInFlight = false;
        switch (result)
        {
            case SpawnResult.Started started:
                slot.Main = started.Process;
                slot.MainAlive = true;
                Feed(slot, new Spawned(started.Pid, identity?.Uid, identity?.Gid));
                WatchMainExit(slot, started);
                break;
            case SpawnResult.Failed failed:
                Feed(slot, new SpawnFailed(failed.Message, failed.Errno == Errno.None ? null : (int)failed.Errno));
                break;
        }
        SyncPopulated(slot);
    }

    private void WatchMainExit(ServiceSlot slot, SpawnResult.Started started)
    {
        Process process = started.Process;
        _ = Task.Run(async () =>
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            ExitStatus status = ExitStatusOf(process.ExitCode);
            Post(() =>
            {
                if (!ReferenceEquals(slot.Main, process)) return;
                slot.MainAlive = false;
                slot.Main = null;
                process.Dispose();
                if (_slots.ContainsKey(slot.Name)) Feed(slot, new MainExited(started.Pid, status));
                SyncPopulated(slot);
            });
        });
    }

    /// <summary>
    /// .NET reports a child killed by signal N as exit code 128+N (the shell convention); we cannot tell that
    /// from a program that exits with 128+N itself, so codes above 128 that name a real signal are shown as the signal.
    /// </summary>
    internal static ExitStatus ExitStatusOf(int code) =>
        code is > 128 and <= 128 + 64 ? ExitStatus.Killed(code - 128) : ExitStatus.Exited(code);

    private void SignalAll(ServiceSlot slot, int signal)
    {
        if (slot.Cgroup is null) return;
        IReadOnlyList<int> pids;
        try
        {
            pids = slot.Cgroup.Node.ReadProcsRecursive();
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            _journal.Append("stop", slot.Name, $"cannot list processes of {slot.Cgroup.Node.Path}: {e.Message}; cgroup.kill follows after the grace period");
            return;
        }
        int sent = 0;
        foreach (int pid in pids)
            if (ProcessSignals.TrySend(pid, signal)) sent++;
        _journal.Append("stop", slot.Name, $"signal {signal} sent to {sent} of {pids.Count} processes; cgroup.kill after {DurationText(slot.Policy.StopGrace)} if any remain");
    }

    private void KillAll(ServiceSlot slot, string? why = null)
    {
        if (slot.Cgroup is null) return;
        try
        {
            int count = slot.Cgroup.Node.ReadProcsRecursive().Count;
            slot.Cgroup.Node.Kill();
            _journal.Append("stop", slot.Name, $"cgroup.kill written ({count} processes){(why is null ? "" : $": {why}")}");
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            _journal.Append("stop", slot.Name, $"cgroup.kill of {slot.Cgroup.Node.Path} failed: {e.Message}");
        }
    }

    private void StartStopCommand(ServiceSlot slot)
    {
        SpawnRequest request;
        try
        {
            EnsureCgroup(slot);
            (SpawnOutput stdout, SpawnOutput stderr) = StopCommandOutputs(slot);
            request = LaunchPlan.ForStopCommand(slot.Definition, slot.Cgroup!, stdout, stderr);
        }
        catch (Exception e) when (e is LaunchException or IOException or LinuxException)
        {
            Post(() => Feed(slot, new StopCommandFinished(null, e.Message)));
            return;
        }
        _ = Task.Run(async () =>
        {
            SpawnResult result = await _spawner.SpawnAsync(request).ConfigureAwait(false);
            if (result is SpawnResult.Failed failed)
            {
                Post(() => Feed(slot, new StopCommandFinished(null, failed.Message)));
                return;
            }
            var started = (SpawnResult.Started)result;
            await started.Process.WaitForExitAsync().ConfigureAwait(false);
            int code = started.Process.ExitCode;
            started.Process.Dispose();
            Post(() =>
            {
                if (_slots.ContainsKey(slot.Name)) Feed(slot, new StopCommandFinished(code));
            });
        });
    }

    private static string DurationText(TimeSpan span) => Core.Time.DurationText.Format(span);
}
