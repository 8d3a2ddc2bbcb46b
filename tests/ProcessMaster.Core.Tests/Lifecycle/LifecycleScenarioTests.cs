using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Restart;
using static ProcessMaster.Core.Tests.Lifecycle.Fixtures;

namespace ProcessMaster.Core.Tests.Lifecycle;

public class LifecycleScenarioTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <summary>T-D03 with max_restarts 3 within 1 min: three restarts 1 s after each crash, FAILED after the 4th,
    /// nothing after that; an operator start brings it back with a fresh window.</summary>
    [Fact]
    public void CrashLoop_FourthCrashWithinWindow_FailsUntilStartedByHand()
    {
        var policy = ServicePolicy.Default with { Restart = new RestartPolicy(RestartMode.Always, Second, 3, TimeSpan.FromMinutes(1)) };
        var app = new Supervised(policy).Feed(Op.Start);
        Assert.Equal(ServiceState.Running, app.State);

        for (int crash = 1; crash <= 3; crash++)
        {
            app.Advance(2 * Second).MainExits(1);
            Assert.Equal(ServiceState.Backoff, app.State);
            Assert.Equal($"main process exited with code 1; restarting in 1s (attempt {crash} of 3)", app.Runtime.Detail);
            Assert.True(app.Runtime.Flags.Contains(SystemFlag.Backoff));
            app.Advance(TimeSpan.FromMilliseconds(999));
            Assert.Equal(ServiceState.Backoff, app.State);
            app.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(ServiceState.Running, app.State);
            Assert.Equal(crash + 1, app.SpawnCount);
        }

        app.Advance(2 * Second).MainExits(1);
        Assert.Equal(ServiceState.Failed, app.State);
        Assert.Equal(4, app.Runtime.History.RecentCrashes(app.Now));
        Assert.Equal(FlagsOf(SystemFlag.Failed), app.Runtime.Flags);
        Assert.Null(app.Runtime.Deadline);
        Assert.StartsWith("main process exited with code 1; 4 crashes within 1m exceed restart_policy.tolerance.max_restarts (3)", app.Runtime.Detail);

        app.Advance(TimeSpan.FromMinutes(30)).Feed(new StartRequested(Requester.System));
        Assert.Equal(ServiceState.Failed, app.State);
        Assert.Equal(4, app.SpawnCount);

        app.Feed(Op.Start);
        Assert.Equal(ServiceState.Running, app.State);
        Assert.Equal(5, app.SpawnCount);
        Assert.Equal(RestartHistory.Empty, app.Runtime.History);
        Assert.Equal(FlagsOf(SystemFlag.UserStart), app.Runtime.Flags);
    }

    /// <summary>T-D04: crashes 70 s apart with 2 per 2 min never reach FAILED.</summary>
    [Fact]
    public void CrashLoop_SlowerThanWindow_NeverFails()
    {
        var policy = ServicePolicy.Default with { Restart = new RestartPolicy(RestartMode.Always, Second, 2, TimeSpan.FromMinutes(2)) };
        var app = new Supervised(policy).Feed(Op.Start);
        for (int i = 0; i < 10; i++)
        {
            app.Advance(TimeSpan.FromSeconds(69)).MainExits(1).Advance(Second);
            Assert.Equal(ServiceState.Running, app.State);
        }
    }

    /// <summary>A service that ignores SIGTERM is killed through cgroup.kill exactly at the grace period (T-D25),
    /// and is reported stopped only once the cgroup is empty.</summary>
    [Fact]
    public void Stop_SignalIgnored_EscalatesToKillCgroupAfterGrace()
    {
        var policy = ServicePolicy.Default with { StopGrace = TimeSpan.FromMilliseconds(500) };
        var app = new Supervised(policy) { HonoursStopSignal = false }.Feed(Op.Start).Advance(Second);
        app.Feed(Op.Stop);
        Assert.Equal(ServiceState.Stopping, app.State);
        Assert.IsType<SendSignal>(app.Effects[^2]);

        app.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(ServiceState.Stopping, app.State);
        Assert.DoesNotContain(app.Effects, e => e is KillCgroup);

        app.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(app.Effects.OfType<KillCgroup>());
        Assert.Equal(ServiceState.Stopped, app.State);
        Assert.Equal(ServiceResult.Killed, app.Runtime.Result);
        Assert.Equal(
            [ServiceState.Starting, ServiceState.Running, ServiceState.Stopping, ServiceState.Killing, ServiceState.Stopped],
            app.Events.OfType<StateChanged>().Select(e => e.To));
        Assert.Equal(1, app.SpawnCount);
    }

    /// <summary>A stop never reports Stopped while the cgroup is populated: a stalled kill stays Killing.</summary>
    [Fact]
    public void Stop_KillDoesNotEmptyCgroup_StaysKillingUntilKernelReportsEmpty()
    {
        var (s, now) = Build("Killing");
        var t = ServiceLifecycle.Decide(s, new DeadlineReached(), now.Add(TimeSpan.FromSeconds(10)), ServicePolicy.Default);
        Assert.Equal(ServiceState.Killing, t.Next.State);
        Assert.True(t.Next.Populated);
        t = ServiceLifecycle.Decide(t.Next, new CgroupEmptied(), now.Add(TimeSpan.FromSeconds(60)), ServicePolicy.Default);
        Assert.Equal(ServiceState.Stopped, t.Next.State);
    }

    /// <summary>T-D26: a stop_command that succeeds waits for the cgroup; one that fails falls back to SIGTERM.</summary>
    [Fact]
    public void Stop_StopCommandFails_FallsBackToSigterm()
    {
        var policy = ServicePolicy.Default with { HasStopCommand = true, StopSignal = Signal.Int };
        var app = new Supervised(policy) { HonoursStopSignal = true }.Feed(Op.Start).Feed(Op.Stop);
        Assert.IsType<RunStopCommand>(app.Effects.Last(e => e is not Publish));
        Assert.Equal(ServiceState.Stopping, app.State);
        app.Feed(new StopCommandFinished(3));
        Assert.Equal(Signal.Term, Assert.IsType<SendSignal>(app.Effects.Last(e => e is not Publish)).Signal);
        Assert.Equal("stop_command exited with code 3; sending SIGTERM to every process",
            app.Events.OfType<StopCommandFallback>().Single().Reason);
        Assert.Equal(ServiceState.Stopped, app.State);
        Assert.Equal(ServiceResult.Stopped, app.Runtime.Result);
    }

    /// <summary>Adopt after a daemon restart: a running service resumes without a restart; a stop in progress
    /// keeps its original deadline (counted from the state's entry); a service that died meanwhile crashes.</summary>
    [Fact]
    public void Adopt_AfterDaemonRestart_ResumesWithoutRestart()
    {
        var first = new Supervised(ServicePolicy.Default).Feed(Op.Start);
        var persisted = first.Runtime;
        var main = persisted.MainPid!.Value;

        var second = new Supervised(ServicePolicy.Default, persisted, first.Clock);
        first.Clock.Advance(TimeSpan.FromMinutes(5));
        second.Adopt(main, main + 1);
        Assert.Equal(ServiceState.Running, second.State);
        Assert.Equal(main, second.Runtime.MainPid);
        Assert.Empty(second.Effects.OfType<Spawn>());
        Assert.Empty(second.Events.OfType<StateChanged>());
        Assert.Equal(persisted.Since, second.Runtime.Since);
    }

    [Fact]
    public void Adopt_StopInProgress_KillsAtTheOriginalDeadline()
    {
        var first = new Supervised(ServicePolicy.Default) { HonoursStopSignal = false }.Feed(Op.Start).Feed(Op.Stop);
        var persisted = first.Runtime;
        Assert.Equal(ServiceState.Stopping, persisted.State);

        first.Clock.Advance(TimeSpan.FromSeconds(3));               // daemon down for 3 s of the 5 s grace
        var second = new Supervised(ServicePolicy.Default, persisted, first.Clock) { HonoursStopSignal = false };
        second.Adopt(4711);
        Assert.Equal(persisted.Since.Mono + TimeSpan.FromSeconds(5), second.Runtime.Deadline);
        second.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(ServiceState.Stopping, second.State);
        second.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(second.Effects.OfType<KillCgroup>());
        Assert.Equal([ServiceState.Killing, ServiceState.Stopped], second.Events.OfType<StateChanged>().Select(e => e.To));
    }

    [Fact]
    public void Adopt_ServiceDiedWhileDaemonWasDown_GoesThroughRestartPolicy()
    {
        var first = new Supervised(ServicePolicy.Default).Feed(Op.Start);
        var second = new Supervised(ServicePolicy.Default, first.Runtime, first.Clock);
        second.Adopt();
        Assert.Equal(ServiceState.Backoff, second.State);
        Assert.Equal(ServiceResult.Vanished, second.Runtime.Result);
        second.Advance(Second);
        Assert.Equal(ServiceState.Running, second.State);
    }

    [Fact]
    public void Adopt_JobRun_KeepsItsMaxRunTimeFromTheRunStart()
    {
        var policy = new ServicePolicy { Kind = ServiceKind.Job, MaxRunTime = TimeSpan.FromSeconds(10) };
        var first = new Supervised(policy).Feed(Sched.Start);
        first.Clock.Advance(TimeSpan.FromSeconds(6));
        var second = new Supervised(policy, first.Runtime, first.Clock) { HonoursStopSignal = true };
        second.Adopt(first.Runtime.MainPid!.Value);
        second.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(ServiceState.Running, second.State);
        second.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ServiceState.Idle, second.State);
        Assert.Equal(ServiceResult.Overtime, Assert.Single(second.Effects.OfType<RecordRun>()).Run.Result);
    }

    /// <summary>T-D05: a stop during backoff cancels the pending restart and records the operator's intent.</summary>
    [Fact]
    public void Stop_DuringBackoff_CancelsPendingRestart()
    {
        var app = new Supervised(ServicePolicy.Default).Feed(Op.Start).MainExits(1);
        Assert.Equal(ServiceState.Backoff, app.State);
        app.Advance(TimeSpan.FromMilliseconds(500)).Feed(Op.Stop);
        Assert.Equal(ServiceState.Stopped, app.State);
        Assert.Equal(Desired.Down, app.Runtime.Desired);
        Assert.Null(app.Runtime.Deadline);
        app.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, app.SpawnCount);
        Assert.Equal(FlagsOf(SystemFlag.UserStop), app.Runtime.Flags);
    }

    /// <summary>T-D06: an exit racing a stop is not a crash.</summary>
    [Fact]
    public void Stop_ExitArrivesAfterStopRequest_NoRestart()
    {
        var app = new Supervised(ServicePolicy.Default) { HonoursStopSignal = false }.Feed(Op.Start).Feed(Op.Stop);
        app.MainExits(1);
        Assert.Equal(ServiceState.Stopped, app.State);
        Assert.Equal(RestartHistory.Empty, app.Runtime.History);
        app.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, app.SpawnCount);
    }

    /// <summary>T-D01/T-D11: the main process exits but a child lingers: still Running, no restart; the stop
    /// waits for the whole cgroup.</summary>
    [Fact]
    public void MainExits_ChildrenRemain_StaysRunning()
    {
        var app = new Supervised(ServicePolicy.Default) { HonoursStopSignal = false }.Feed(Op.Start);
        app.MainExits(0, leaveChildren: true).Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(ServiceState.Running, app.State);
        Assert.Equal(ExitStatus.Exited(0), app.Runtime.LastExit);
        Assert.Null(app.Runtime.MainPid);
        Assert.Equal(1, app.SpawnCount);

        app.Feed(Op.Stop).ChildrenExit();
        Assert.Equal(ServiceState.Stopped, app.State);
    }

    /// <summary>Restart never leaves two instances: stop fully, then spawn; a start while stopping is remembered.</summary>
    [Fact]
    public void Restart_WhileRunning_StopsFullyThenSpawns()
    {
        var app = new Supervised(ServicePolicy.Default) { HonoursStopSignal = false }.Feed(Op.Start);
        app.Feed(Op.Restart);
        Assert.Equal(ServiceState.Stopping, app.State);
        Assert.Equal(1, app.SpawnCount);
        app.Advance(TimeSpan.FromSeconds(5));                      // grace → kill → empty → spawn
        Assert.Equal(ServiceState.Running, app.State);
        Assert.Equal(2, app.SpawnCount);
        Assert.Equal(RestartHistory.Empty, app.Runtime.History);
        Assert.Equal(Phase.Restarting, ServiceState.Starting.ToPhase(app.Runtime.IsRestart));
    }

    /// <summary>T-D45: commands are applied in order and the last one wins.</summary>
    [Fact]
    public void RestartThenStop_LastCommandWins()
    {
        var app = new Supervised(ServicePolicy.Default) { HonoursStopSignal = false }.Feed(Op.Start);
        app.Feed(Op.Restart).Feed(Op.Stop).Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(ServiceState.Stopped, app.State);
        Assert.Equal(1, app.SpawnCount);

        app.Feed(Op.Start).Feed(Op.Stop).Feed(Op.Restart).Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(ServiceState.Running, app.State);
        Assert.Equal(Desired.Up, app.Runtime.Desired);
    }

    /// <summary>§7.6 case 105 and §5.7 user_stop: an operator stop of a service carrying user_start leaves
    /// {user_stop}; system starts are refused until an operator starts it (user_start clears user_stop).</summary>
    [Fact]
    public void OperatorStop_ThenSystemStart_RefusedUntilOperatorStarts()
    {
        var app = new Supervised(ServicePolicy.Default).Feed(Op.Start);
        Assert.Equal(FlagsOf(SystemFlag.UserStart), app.Runtime.Flags);
        app.Feed(Op.Stop);
        Assert.Equal(ServiceState.Stopped, app.State);
        Assert.Equal(FlagsOf(SystemFlag.UserStop), app.Runtime.Flags);

        app.Feed(new StartRequested(Requester.System)).Feed(new DefinitionReloaded(DefinitionChange.Modified));
        Assert.Equal(ServiceState.Stopped, app.State);
        Assert.Equal("stopped by an operator; not started automatically until an operator starts it",
            app.Events.OfType<RequestRefused>().Single().Reason);

        app.Feed(Op.Start);
        Assert.Equal(ServiceState.Running, app.State);
        Assert.Equal(FlagsOf(SystemFlag.UserStart), app.Runtime.Flags);
    }

    /// <summary>§7.6 case 106: with override rules, behaviour does not depend on flags; a manual stop clears
    /// every other flag, and user_start no longer clears user_stop.</summary>
    [Fact]
    public void OverrideRules_UserStopClearsAll_FlagsFollowRulesBehaviourDoesNot()
    {
        var rules = FlagRuleSet.Load("""{"user_stop": {"clears": ["*"]}}""").Rules;
        var policy = ServicePolicy.Default with { FlagRules = rules };
        var app = new Supervised(policy).Feed(new DefinitionReloaded(DefinitionChange.KeptLastGood)).Feed(Op.Start);
        Assert.Equal(FlagsOf(SystemFlag.Outdated, SystemFlag.UserStart), app.Runtime.Flags);
        app.Feed(Op.Stop);
        Assert.Equal(FlagsOf(SystemFlag.UserStop), app.Runtime.Flags);
        app.Feed(Op.Start);
        Assert.Equal(FlagsOf(SystemFlag.UserStop, SystemFlag.UserStart), app.Runtime.Flags);
        Assert.Equal(ServiceState.Running, app.State);
    }

    /// <summary>§7.6 case 104: a job exits 0, then 3: shown flags {exit_ok, dummy1}, then {exit_err, dummy2}.</summary>
    [Fact]
    public void JobRuns_ExitCodes_SetExitFlagsThroughRules()
    {
        var app = new Supervised(new ServicePolicy { Kind = ServiceKind.Job });
        app.Feed(Sched.Start).Advance(Second).MainExits(0);
        Assert.Equal(ServiceState.Idle, app.State);
        Assert.Equal([SystemFlag.ExitOk, SystemFlag.Dummy1], SystemFlags.Visible(app.Runtime.Flags, running: false));

        app.Advance(TimeSpan.FromMinutes(1)).Feed(Sched.Start).Advance(Second).MainExits(3);
        Assert.Equal([SystemFlag.ExitErr, SystemFlag.Dummy2], SystemFlags.Visible(app.Runtime.Flags, running: false));
        var runs = app.Effects.OfType<RecordRun>().Select(r => r.Run).ToList();
        Assert.Equal([ServiceResult.Success, ServiceResult.ExitCode], runs.Select(r => r.Result));
        Assert.Equal(ExitStatus.Exited(3), runs[1].Exit);
        Assert.Equal(1, app.Runtime.History.RecentCrashes(app.Now));
    }

    /// <summary>T-D31: a job over max_time_per_run is stopped at the limit (no 5 s monitor), with ot_killed + exit_err.</summary>
    [Fact]
    public void JobRun_Overtime_StoppedAtLimitWithOtKilled()
    {
        var app = new Supervised(new ServicePolicy { Kind = ServiceKind.Job, MaxRunTime = TimeSpan.FromSeconds(10) })
        {
            HonoursStopSignal = true,
            ExitCodeOnStopSignal = 143,
        };
        app.Feed(Sched.Start).Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(ServiceState.Idle, app.State);
        Assert.Equal([SystemFlag.OtKilled, SystemFlag.ExitErr, SystemFlag.Dummy2], SystemFlags.Visible(app.Runtime.Flags, running: false));
        var run = Assert.Single(app.Effects.OfType<RecordRun>()).Run;
        Assert.Equal(ServiceResult.Overtime, run.Result);
        Assert.Equal(TimeSpan.FromSeconds(10), run.Ended.Since(run.Started));
    }

    /// <summary>T-D30/T-D29: a run lasts until its cgroup is empty; leftovers keep it running, so the next tick is
    /// skipped; the result still comes from the main process.</summary>
    [Fact]
    public void JobRun_Leftovers_RunEndsWhenCgroupEmpties()
    {
        var app = new Supervised(new ServicePolicy { Kind = ServiceKind.Job });
        app.Feed(Sched.Start).MainExits(0, leaveChildren: true).Advance(TimeSpan.FromMinutes(1)).Feed(Sched.Start);
        Assert.Equal(ServiceState.Running, app.State);
        Assert.Single(app.Events.OfType<RequestRefused>());
        app.ChildrenExit();
        Assert.Equal(ServiceState.Idle, app.State);
        Assert.Equal(ServiceResult.Success, app.Effects.OfType<RecordRun>().Single().Run.Result);
        Assert.Equal(1, app.SpawnCount);
    }

    /// <summary>T-D02: a spawn failure goes through the restart policy deterministically.</summary>
    [Fact]
    public void SpawnFailure_RetriedWithinToleranceThenFailed()
    {
        var app = new Supervised(ServicePolicy.Default) { SpawnSucceeds = false }.Feed(Op.Start);
        Assert.Equal(ServiceState.Backoff, app.State);
        Assert.Equal("spawn failed: /bin/app: No such file or directory (ENOENT); restarting in 1s (attempt 1 of 3)", app.Runtime.Detail);
        app.Advance(Second).Advance(Second).Advance(Second);
        Assert.Equal(ServiceState.Failed, app.State);
        Assert.Equal(4, app.SpawnCount);
        Assert.Equal(ServiceResult.SpawnFailed, app.Runtime.Result);
    }

    /// <summary>T-D09: disabling a running service stops it gracefully with no crash counted.</summary>
    [Fact]
    public void Disable_Running_StopsWithoutCrash()
    {
        var app = new Supervised(ServicePolicy.Default).Feed(Op.Start);
        app.Policy = ServicePolicy.Default with { Enabled = false };
        app.Feed(new DefinitionReloaded(DefinitionChange.Modified));
        Assert.Equal(ServiceState.Stopped, app.State);
        Assert.Equal(RestartHistory.Empty, app.Runtime.History);
        Assert.Equal(Desired.Up, app.Runtime.Desired);
    }

    /// <summary>T-D08: a modified definition of a stopped (wanted-up) service starts it once.</summary>
    [Fact]
    public void Reload_ModifiedStoppedService_StartsOnce()
    {
        var app = new Supervised(ServicePolicy.Default);
        app.Feed(new DefinitionReloaded(DefinitionChange.Modified));
        Assert.Equal(ServiceState.Running, app.State);
        Assert.Equal(1, app.SpawnCount);
        Assert.Equal(FlagsOf(SystemFlag.SystemStart), app.Runtime.Flags);
    }

    /// <summary>T-D15 (decided): a removed definition is stopped gracefully, not killed outright.</summary>
    [Fact]
    public void Removed_Running_StopsGracefully()
    {
        var app = new Supervised(ServicePolicy.Default with { HasStopCommand = true }).Feed(Op.Start);
        app.Feed(new DefinitionRemoved());
        Assert.Equal(ServiceState.Stopping, app.State);
        Assert.IsType<RunStopCommand>(app.Effects.Last(e => e is not Publish));
    }
}
