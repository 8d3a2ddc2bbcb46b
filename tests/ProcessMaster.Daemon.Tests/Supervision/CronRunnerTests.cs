using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Daemon.Supervision;

namespace ProcessMaster.Daemon.Tests.Supervision;

/// <summary>The cron runner on a fake clock: one deadline per job at its next occurrence, a due run fed as a start.</summary>
public sealed class CronRunnerTests : IDisposable
{
    private const string EveryFiveMinutes = "  working_directory: /srv/app\n  start_command: [\"/bin/true\"]\n  schedule: \"*/5 * * * *\"\n";

    private readonly LoopFixture _loop = new();
    private readonly CronRunner _cron;

    public CronRunnerTests() =>
        _cron = new CronRunner(_loop.Clock, _loop.Deadlines, _loop.Journal, TimeZoneInfo.Utc, _loop.Feed, _loop.Changed);

    [Fact]
    public void Arm_Job_SetsOneCronDeadlineAtTheNextOccurrence()
    {
        ServiceSlot job = _loop.Slot("backup", EveryFiveMinutes);

        _cron.Arm(job);

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 12, 5, 0, TimeSpan.Zero), job.NextRunAt);
        Assert.Equal(_loop.Clock.Mono() + TimeSpan.FromMinutes(4), _loop.Deadlines.DueAt(DeadlineKey.Cron("backup")));
        Assert.Equal(1, _loop.Deadlines.Count);
    }

    [Fact]
    public void Arm_ServiceOrRemovedJob_ClearsTheDeadline()
    {
        ServiceSlot service = _loop.Slot("web");
        ServiceSlot job = _loop.Slot("backup", EveryFiveMinutes);
        _cron.Arm(job);

        job.Removed = true;
        _cron.Arm(job);
        _cron.Arm(service);

        Assert.Null(job.NextRunAt);
        Assert.Null(service.NextRunAt);
        Assert.Equal(0, _loop.Deadlines.Count);
    }

    [Fact]
    public void OnDue_IdleJob_FeedsAScheduledStartAndArmsTheNextOccurrence()
    {
        ServiceSlot job = _loop.Slot("backup", EveryFiveMinutes);
        _cron.Arm(job);
        _loop.Time.Advance(TimeSpan.FromMinutes(4));

        _cron.OnDue(job);

        var (service, input) = Assert.Single(_loop.Fed);
        Assert.Equal("backup", service);
        Assert.Equal(Requester.Schedule, Assert.IsType<StartRequested>(input).By);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 12, 10, 0, TimeSpan.Zero), job.NextRunAt);
        Assert.Equal(_loop.Clock.Mono() + TimeSpan.FromMinutes(5), _loop.Deadlines.DueAt(DeadlineKey.Cron("backup")));
        Assert.Contains("run due at ", _loop.Messages("backup")[^1], StringComparison.Ordinal);
        Assert.Equal(1, _loop.Changes);
    }

    [Fact]
    public void OnDue_RunStillAlive_SkipsWithAnEventAndNeverOverlaps()
    {
        ServiceSlot job = _loop.Slot("backup", EveryFiveMinutes);
        _cron.Arm(job);
        job.Runtime = job.Runtime with { State = ServiceState.Running, Populated = true };
        _loop.Time.Advance(TimeSpan.FromMinutes(4));

        _cron.OnDue(job);

        Assert.Empty(_loop.Fed);
        Assert.Contains("skipped: the previous run is still", _loop.Messages("backup")[^1], StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 12, 10, 0, TimeSpan.Zero), job.NextRunAt);
    }

    public void Dispose() => _loop.Dispose();
}
