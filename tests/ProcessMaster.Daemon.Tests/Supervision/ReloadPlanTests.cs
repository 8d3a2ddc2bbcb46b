using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Linux.Definitions;

namespace ProcessMaster.Daemon.Tests.Supervision;

/// <summary>What an <c>update</c> does, decided without touching the loop: one step per service, in name order.</summary>
public sealed class ReloadPlanTests : IDisposable
{
    private readonly LoopFixture _loop = new();

    [Fact]
    public void For_EveryKindOfChange_OneStepPerServiceInOrder()
    {
        ServiceSlot same = _loop.Slot("same");
        ServiceSlot changed = _loop.Slot("changed");
        ServiceSlot broken = _loop.Slot("broken");
        ServiceSlot gone = _loop.Slot("gone");
        ServiceSlot leaving = _loop.Slot("leaving");
        leaving.Removed = true;
        var slots = new[] { same, changed, broken, gone, leaving }.ToDictionary(s => s.Name, StringComparer.Ordinal);
        ServiceDefinition newer = LoopFixture.Definition("changed", "  working_directory: /srv/app\n  start_command: [\"/bin/false\"]\n");
        var found = new DiscoveredDefinitions(
            [same.Definition, newer, LoopFixture.Definition("added"), LoopFixture.Definition("leaving")],
            [new ConfigError(broken.Definition.SourceFile, 1, 1, "process", "bad", "fix it")],
            []);

        IReadOnlyList<ReloadStep> steps = ReloadPlan.For(slots, found);

        Assert.Equal<ReloadStep>(
        [
            new ReloadStep.KeptLastGood(broken),
            new ReloadStep.Modified(changed, newer, LogsChanged: false),
            new ReloadStep.Removed(gone),
            new ReloadStep.Unchanged(same),
            new ReloadStep.Added(found.Definitions[2]),
            new ReloadStep.StillStopping(found.Definitions[3]),
        ], steps);
    }

    [Fact]
    public void For_NewWorkingDirectory_RestartsTheCapture()
    {
        ServiceSlot web = _loop.Slot("web");
        ServiceDefinition moved = LoopFixture.Definition("web", "  start_command: [\"/bin/true\"]\n  working_directory: /srv/elsewhere\n");

        ReloadStep step = Assert.Single(ReloadPlan.For(new Dictionary<string, ServiceSlot> { ["web"] = web }, new DiscoveredDefinitions([moved], [], [])));

        Assert.True(Assert.IsType<ReloadStep.Modified>(step).LogsChanged);
    }

    public void Dispose() => _loop.Dispose();
}
