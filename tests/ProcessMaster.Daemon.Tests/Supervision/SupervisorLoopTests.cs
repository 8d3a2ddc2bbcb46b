using System.Diagnostics;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Persistence;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Daemon.Supervision.Status;
using ProcessMaster.Daemon.Tests.Support;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Testing;

namespace ProcessMaster.Daemon.Tests.Supervision;

/// <summary>
/// The supervision loop in-process on a fake clock over real processes and a real cgroup sandbox: what the loop does
/// when its one deadline timer fires (stop grace ends, a cron occurrence comes, a user flag expires), and what it
/// finds at boot. Time never passes by itself here: nothing happens until the test advances the clock.
/// </summary>
public sealed class SupervisorLoopTests : IAsyncDisposable
{
    // Half a minute past the minute: the next "* * * * *" occurrence is 30 s away.
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 12, 0, 30, TimeSpan.Zero);
    private readonly LoopHarness _h = new(Start);

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Stop_ProcessIgnoringSigterm_IsKilledWhenTheGraceEnds_NotBefore()
    {
        string ready = _h.Scratch.File("ready");
        ServiceDefinition stubborn = Definitions.Parse("stubborn", $$"""
            process:
              working_directory: /tmp
              start_command: ["/bin/sh", "-c", "trap '' TERM; touch {{ready}}; exec sleep 600"]
              stop_grace_period_ms: 4000
            """);
        await _h.BootAsync(null, stubborn);
        await _h.EventAsync("stubborn", "spawned");
        await DaemonInstance.WaitUntilAsync(() => File.Exists(ready), TimeSpan.FromSeconds(30), "the service to ignore SIGTERM");

        Task<IReadOnlyList<ServiceOutcome>> stop = _h.Loop.StopAsync("stubborn");
        await _h.EventAsync("stubborn", "stop requested");
        await _h.AdvanceAsync(TimeSpan.FromMilliseconds(3990));

        Assert.False(stop.IsCompleted, "the stop ended before its grace period did, although the process ignores SIGTERM");
        Assert.DoesNotContain(_h.History("stubborn"), e => e.Message.Contains("deadline reached", StringComparison.Ordinal));

        await _h.AdvanceAsync(TimeSpan.FromMilliseconds(20));
        ServiceOutcome outcome = Assert.Single(await stop.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.True(outcome.Ok, outcome.Error);
        Assert.Equal(ServiceState.Stopped, outcome.Runtime.State);
        Assert.False(outcome.Runtime.Populated);
        Assert.Contains(_h.History("stubborn"), e => e.Message.Contains("deadline reached", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CommandAfterTheLoopClosed_FailsAtOnceWithTheReason_NeverHangs()
    {
        await _h.BootAsync();
        await _h.Loop.DisposeAsync();

        Task<int> late = _h.Loop.InvokeAsync(static () => 1);

        Assert.True(late.IsFaulted, "a request to a closed loop must fail at once, not wait forever");
        RpcException error = Assert.IsType<RpcException>(late.Exception!.InnerException);
        Assert.Equal(SupervisorLoop.ClosedMessage, error.Message);
        Assert.Contains(_h.Journal.Last(EventJournal.Capacity), e => e.Message.Contains("supervision loop is closed; request dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cron_EveryMinute_RunsWhenTheMinuteComes_AndRecordsTheRun()
    {
        string marker = _h.Scratch.File("ran");
        ServiceDefinition job = Definitions.Parse("tick", $$"""
            process:
              working_directory: /tmp
              start_command: ["/bin/sh", "-c", "echo run >> {{marker}}"]
              schedule: "* * * * *"
            """);
        await _h.BootAsync(null, job);

        ServiceView before = Assert.Single(await _h.Loop.StatusAsync("tick"));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 12, 1, 0, TimeSpan.Zero), before.NextRunAt);

        await _h.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.DoesNotContain(_h.History("tick"), e => e.Message.Contains("run due", StringComparison.Ordinal));
        Assert.False(File.Exists(marker));

        await _h.AdvanceAsync(TimeSpan.FromSeconds(2));
        await _h.EventAsync("tick", "run due at 2026-12-05 12:01:00");
        await _h.EventAsync("tick", "run ended");

        ServiceView after = Assert.Single(await _h.Loop.StatusAsync("tick"));
        RunRecord run = Assert.Single(after.Runs);
        Assert.Equal(ServiceResult.Success, run.Result);
        Assert.Equal(["run"], File.ReadAllLines(marker));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 12, 2, 0, TimeSpan.Zero), after.NextRunAt);
    }

    [Fact]
    public async Task UserFlag_WithTtl_ExpiresWhenItsTimeComes()
    {
        await _h.BootAsync(null, Definitions.Parse("quiet", """
            process:
              working_directory: /tmp
              start_command: ["sleep", "600"]
            global:
              enabled: false
            """));

        UserFlagsOutcome set = await _h.Loop.FlagAsync("quiet", ["maintenance"], TimeSpan.FromMinutes(10), RpcCaller.Internal);
        await _h.Loop.FlagAsync("quiet", ["pinned"], null, RpcCaller.Internal);
        Assert.Null(set.Error);

        await _h.AdvanceAsync(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(["maintenance", "pinned"], Assert.Single(await _h.Loop.StatusAsync("quiet")).UserFlags);

        await _h.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(["pinned"], Assert.Single(await _h.Loop.StatusAsync("quiet")).UserFlags);
    }

    [Fact]
    public async Task Boot_ProcessAlreadyInTheCgroup_IsAdopted_NotStartedAgain()
    {
        using (ServiceCgroup app = _h.Master.OpenService("kept"))
        {
            using Process sleeper = Process.Start("sleep", "600");
            app.Leaf.MoveProcess(sleeper.Id);

            await _h.BootAsync(null, Definitions.Parse("kept", """
                process:
                  working_directory: /tmp
                  start_command: ["sleep", "600"]
                """));
            await _h.EventAsync("kept", "adopted");

            ServiceView view = Assert.Single(await _h.Loop.StatusAsync("kept"));
            Assert.Equal(ServiceState.Running, view.State);
            Assert.Equal([sleeper.Id], view.Pids);
            Assert.DoesNotContain(_h.History("kept"), e => e.Message.Contains("spawned", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Boot_SavedRunningButCgroupEmpty_IsStartedAgain_WithItsSavedUserFlags()
    {
        var saved = new PersistedState { BootId = "boot-1", SavedAtMs = Start.AddMinutes(-1).ToUnixTimeMilliseconds() };
        var before = new PersistedMoment { WallMs = Start.AddMinutes(-5).ToUnixTimeMilliseconds(), MonoTicks = 0 };
        saved.Services["gone"] = new PersistedService
        {
            State = ServiceState.Running, Since = before, StartedAt = before, Populated = true, MainPid = int.MaxValue,
            UserFlags = new Dictionary<string, long?>(StringComparer.Ordinal) { ["pinned"] = null },
        };

        await _h.BootAsync(saved, Definitions.Service("gone"));
        await _h.EventAsync("gone", "all processes exited");
        await _h.AdvanceAsync(TimeSpan.FromSeconds(5)); // past any restart backoff
        await _h.EventAsync("gone", "spawned");

        ServiceView view = Assert.Single(await _h.Loop.StatusAsync("gone"));
        Assert.Equal(ServiceState.Running, view.State);
        Assert.NotEqual(int.MaxValue, view.MainPid);
        Assert.Equal(["pinned"], view.UserFlags);
        PersistedState again = await _h.Loop.SnapshotAsync("boot-1");
        Assert.Equal(["pinned"], again.Services["gone"].UserFlags.Keys);
        Assert.Equal(view.MainPid, again.Services["gone"].MainPid);
    }
}
