using System.Diagnostics;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Daemon.Events;

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
                _journal.Append("schedule", slot.Name, DomainEventText.Run(r.Run), DomainEventText.Severity(r.Run));
                break;
            default:
                throw new UnreachableException($"unknown effect {effect.GetType().Name}");
        }
    }

    private void Announce(ServiceSlot slot, DomainEvent e)
    {
        (string component, string message) = DomainEventText.Describe(e, slot.Runtime);
        _journal.Append(component, slot.Name, message, DomainEventText.Severity(e));
    }

    private void StartSpawn(ServiceSlot slot)
    {
        long generation = ++slot.SpawnGeneration;
        slot.SpawnInFlight = true;
        QueueSpawn(slot, generation);
    }

    /// <summary>Prepares and hands one spawn to a spawn thread (from <see cref="PumpSpawns"/>).</summary>
    private void IssueSpawn(ServiceSlot slot, long generation)
    {
        _spawnsInFlight++;
        SpawnRequest request;
        ServiceIdentity identity;
        SpawnDescriptors outputs;
        try
        {
            EnsureCgroup(slot);
            outputs = ServiceOutputs(slot);
        }
        catch (Exception e) when (e is IOException or LinuxException or UnauthorizedAccessException)
        {
            Post(() => OnSpawnResult(slot, generation, new SpawnResult.Failed("cgroup", Errno.None, slot.Cgroup?.Node.Path,
                $"service \"{slot.Name}\": cannot prepare its cgroup or log capture: {e.Message}")));
            return;
        }
        try
        {
            request = LaunchPlan.ForService(slot.Definition, slot.Cgroup!, outputs.Stdout, outputs.Stderr, out identity);
        }
        catch (LaunchException e)
        {
            outputs.Dispose();
            Post(() => OnSpawnResult(slot, generation, new SpawnResult.Failed("prepare", Errno.None, null, e.Message)));
            return;
        }
        if (_exits is not null)
        {
            // Under an exit keeper: the status survives a daemon restart (docs/spawn.md). No old record may answer for this run.
            _exits.Forget(slot.Name);
            request = request with { ExitRecords = _exits, RecordName = slot.Name };
        }
        if (!_spawnThreads.Queue(() =>
            {
                SpawnResult result = SpawnNow(request, outputs);
                Post(() => OnSpawnResult(slot, generation, result, identity));
            }))
        {
            outputs.Dispose();
            Post(() => OnSpawnResult(slot, generation, new SpawnResult.Failed("spawn", Errno.None, null, $"service \"{slot.Name}\": the daemon is shutting down")));
        }
    }

    /// <summary>Runs one spawn (off the loop) and releases the descriptors the daemon opened for it.</summary>
    private SpawnResult SpawnNow(SpawnRequest request, SpawnDescriptors outputs)
    {
        try
        {
            return _spawner.Spawn(request);
        }
        catch (Exception e) when (e is LinuxException or ObjectDisposedException or ArgumentException)
        {
            return new SpawnResult.Failed("spawn", Errno.None, null, $"{request.Subject}: spawn failed: {e.Message}");
        }
        finally
        {
            outputs.Dispose();
        }
    }

    private void OnSpawnResult(ServiceSlot slot, long generation, SpawnResult result, ServiceIdentity? identity = null)
    {
        _spawnsInFlight--;
        PumpSpawns();
        if (!_slots.ContainsKey(slot.Name) || generation != slot.SpawnGeneration)
        {
            // A spawn the loop no longer waits for (the service was removed): do not leave its process behind.
            if (result is SpawnResult.Started orphan) KillAll(slot, $"late spawn of pid {orphan.Pid} after removal");
            return;
        }
        slot.SpawnInFlight = false;
        switch (result)
        {
            case SpawnResult.Started started:
                slot.Main = started.Child;
                slot.MainAlive = true;
                slot.KeeperPid = started.Child.KeeperPid;
                slot.KeeperStartTicks = started.Child.KeeperPid is { } keeper ? Linux.Procfs.ProcStat.TryReadStartTicks(keeper) : null;
                Feed(slot, new Spawned(started.Pid, identity?.Uid, identity?.Gid));
                WatchMainExit(slot, started.Child);
                break;
            case SpawnResult.Failed failed:
                Feed(slot, new SpawnFailed(failed.Message, failed.Errno == Errno.None ? null : (int)failed.Errno));
                break;
        }
        SyncPopulated(slot);
    }

    /// <summary>The daemon reaps its children itself (pidfd + waitid on the kernel event thread); the exit comes back here as an input.</summary>
    private void WatchMainExit(ServiceSlot slot, ChildProcess child)
    {
        _ = child.Exit.ContinueWith(exit => Post(() =>
        {
            if (!ReferenceEquals(slot.Main, child)) return;
            slot.MainAlive = false;
            slot.Main = null;
            slot.KeeperPid = null;
            if (child.KeeperPid is not null) _exits?.Forget(slot.Name);
            ExitStatus status = ExitOf(slot, child, exit);
            NoteOomKills(slot);
            if (_slots.ContainsKey(slot.Name)) Feed(slot, new MainExited(child.Pid, status));
            SyncPopulated(slot);
        }), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The exit status; a status collected elsewhere (never expected: ECHILD) is journaled and reported as exit code 255.</summary>
    private ExitStatus ExitOf(ServiceSlot slot, ChildProcess child, Task<ExitStatus> exit)
    {
        if (exit.IsCompletedSuccessfully) return exit.Result;
        _journal.Append("watch", slot.Name, $"{child}: {exit.Exception?.InnerException?.Message}; reported as exit code 255", EventSeverity.Warning);
        return ExitStatus.Exited(255);
    }

    private void SignalAll(ServiceSlot slot, Signal signal)
    {
        if (slot.Cgroup is null) return;
        int sent, listed;
        try
        {
            // Through pidfds, re-checked against the cgroup: never a pid that was reused meanwhile (audit #27).
            (sent, listed) = slot.Cgroup.Node.SignalMembers(signal.Number);
        }
        catch (Exception e) when (e is IOException or LinuxException)
        {
            _journal.Append("stop", slot.Name, $"cannot signal the processes of {slot.Cgroup.Node.Path}: {e.Message}; cgroup.kill follows after the grace period", EventSeverity.Warning);
            return;
        }
        _journal.Append("stop", slot.Name, $"signal {signal.Number} sent to {sent} of {listed} processes; cgroup.kill after {DurationText(slot.Policy.StopGrace)} if any remain");
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
            _journal.Append("stop", slot.Name, $"cgroup.kill of {slot.Cgroup.Node.Path} failed: {e.Message}", EventSeverity.Error);
        }
    }

    private void StartStopCommand(ServiceSlot slot)
    {
        SpawnRequest request;
        SpawnDescriptors? outputs = null;
        try
        {
            EnsureCgroup(slot);
            outputs = StopCommandOutputs(slot);
            request = LaunchPlan.ForStopCommand(slot.Definition, slot.Cgroup!, outputs.Stdout, outputs.Stderr);
        }
        catch (Exception e) when (e is LaunchException or IOException or LinuxException)
        {
            outputs?.Dispose();
            Post(() => Feed(slot, new StopCommandFinished(null, e.Message)));
            return;
        }
        _ = Task.Run(async () =>
        {
            SpawnResult result = SpawnNow(request, outputs!);
            if (result is SpawnResult.Failed failed)
            {
                Post(() => Feed(slot, new StopCommandFinished(null, failed.Message)));
                return;
            }
            ChildProcess child = ((SpawnResult.Started)result).Child;
            int? code;
            string? error = null;
            try
            {
                ExitStatus status = await child.Exit.ConfigureAwait(false);
                code = status.Code ?? 128 + status.Signal;
            }
            catch (LinuxException e)
            {
                (code, error) = (null, $"{request.Subject}: {e.Message}");
            }
            Post(() =>
            {
                if (_slots.ContainsKey(slot.Name)) Feed(slot, new StopCommandFinished(code, error));
            });
        });
    }

    private static string DurationText(TimeSpan span) => Core.Time.DurationText.Format(span);
}
