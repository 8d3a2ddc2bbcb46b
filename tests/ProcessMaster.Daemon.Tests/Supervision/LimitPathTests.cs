using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Daemon.Supervision.Status;
using ProcessMaster.Daemon.Tests.Support;
using ProcessMaster.Linux.Cgroups;

namespace ProcessMaster.Daemon.Tests.Supervision;

/// <summary>
/// A limit's path through the daemon: the definition's <c>resources</c> section, the typed cgroup writes the loop
/// makes of it (in the operator's units), and what the loop says when the kernel does not hold one: reported once,
/// shown by status, never pretended — and never for a limit that asks for no limit.
/// </summary>
public sealed class LimitPathTests
{
    private const string Limited = """
        process:
          working_directory: /tmp
          start_command: ["sleep", "600"]
        resources:
          max_cpu: 500m
          max_memory: 256MiB
          max_swap: 0
          io_weight: 100
          io_bandwidth:
            - device: "8:0"
              max_read_bytes_per_second: 50MiB
              max_write_iops: 500
          max_pids: 512
        global:
          enabled: false
        """;

    [Fact]
    public void For_EveryResourceKey_BecomesItsCgroupFileInOrder_WithTheKernelTextAndTheOperatorsUnits()
    {
        ServiceDefinition web = Definitions.Parse("web", Limited);

        var limits = CgroupLimit.For(web.Resources).Select(l => (l.File, l.Value, l.Description, l.IsUnlimited)).ToList();

        Assert.Equal(
        [
            ("cpu.max", "50000 100000", "cpu limit 500m", false),
            ("memory.max", "268435456", "memory limit 256 MiB", false),
            ("memory.swap.max", "0", "swap limit 0 bytes", false),
            ("io.weight", "default 100", "io weight 100", false),
            ("io.max", "8:0 rbps=52428800 wiops=500", "io limit on 8:0 (read 50 MiB/s, 500 write iops)", false),
            ("pids.max", "512", "pids limit 512", false),
        ], limits);
    }

    [Fact]
    public void For_NoResourcesSection_IsUnlimitedEverywhere()
    {
        ServiceDefinition web = Definitions.Service("web");

        Assert.All(CgroupLimit.For(web.Resources), l => Assert.True(l.IsUnlimited, $"{l.File} = {l.Value}"));
        Assert.Equal(["cpu.max", "memory.max", "memory.swap.max", "pids.max"], CgroupLimit.For(web.Resources).Select(l => l.File));
    }

    [Fact]
    public async Task Boot_LimitsTheKernelDoesNotHold_AreReportedOnceAndShown_UnlimitedOnesNever()
    {
        // The sandbox's master cgroup enables no controller for its children: no limit file exists in a service's cgroup.
        await using var h = new LoopHarness(DateTimeOffset.UnixEpoch.AddYears(56));
        await h.BootAsync(null, Definitions.Parse("web", Limited), Definitions.Parse("free", """
            process:
              working_directory: /tmp
              start_command: ["sleep", "600"]
            global:
              enabled: false
            """));

        ServiceView web = Assert.Single(await h.Loop.StatusAsync("web"));
        Assert.Equal(6, web.LimitProblems.Count);
        Assert.Contains(web.LimitProblems, p => p.StartsWith("memory limit 256 MiB NOT applied: ", StringComparison.Ordinal)
            && p.EndsWith("/memory.max missing (memory controller off); add +memory to the parent's cgroup.subtree_control", StringComparison.Ordinal));
        Assert.All(web.LimitProblems, p => Assert.Contains(" NOT applied: ", p, StringComparison.Ordinal));
        Assert.Equal(web.LimitProblems, h.History("web").Where(e => e.Severity == EventSeverity.Warning && e.Component == "cgroup").Select(e => e.Message));

        ServiceView free = Assert.Single(await h.Loop.StatusAsync("free"));
        Assert.Empty(free.LimitProblems);
        Assert.DoesNotContain(h.History("free"), e => e.Message.Contains("NOT applied", StringComparison.Ordinal));
    }
}
