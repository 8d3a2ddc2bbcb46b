using ProcessMaster.Linux.Cgroups;

namespace ProcessMaster.Linux.Tests.Cgroups;

/// <summary>
/// The readers behind status' oom_kills / nr_throttled / throttled_usec / pressure, on text as a cgroup v2 kernel with
/// every controller writes it (this machine has no controllers; the VM lane, tests/vm, checks the live files).
/// </summary>
public class CgroupUsageTests
{
    private const string MemoryEventsText = "low 0\nhigh 0\nmax 35\noom 2\noom_kill 2\noom_group_kill 0\n";
    private const string CpuStatText = "usage_usec 1912964\nuser_usec 1900000\nsystem_usec 12964\nnr_periods 22\nnr_throttled 21\nthrottled_usec 17600123\nnr_bursts 0\nburst_usec 0\n";
    private const string CpuPressureText = "some avg10=3.10 avg60=0.90 avg300=0.20 total=1234567\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
    private const string MemoryPressureText = "some avg10=12.50 avg60=4.00 avg300=1.00 total=99\nfull avg10=11.00 avg60=3.00 avg300=0.50 total=88\n";
    private const string IoPressureText = "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";

    [Fact]
    public void ParseOomKills_MemoryEvents_ReadsOomKill() => Assert.Equal(2, MemoryEvents.ParseOomKills(MemoryEventsText));

    [Fact]
    public void ParseOomKills_NoOomKillLine_IsZero() => Assert.Equal(0, MemoryEvents.ParseOomKills("low 0\nhigh 0\nmax 0\noom 0\n"));

    [Fact]
    public void Parse_EveryFile_ReadsEachFigure()
    {
        CgroupUsage usage = CgroupUsage.Parse(MemoryEventsText, CpuStatText, CpuPressureText, MemoryPressureText, IoPressureText);
        Assert.Equal(new CgroupUsage(2, 21, 17600123, 3.10, 12.50, 0.0), usage);
    }

    [Fact]
    public void Parse_NoControllers_EverythingNullNeverZero()
    {
        // This build machine: cpu.stat without the throttling keys, no memory.events, no pressure files.
        CgroupUsage usage = CgroupUsage.Parse(null, "usage_usec 10\nuser_usec 8\nsystem_usec 2\n", null, null, null);
        Assert.Equal(CgroupUsage.None, usage);
    }

    [Fact]
    public void Parse_PressureWithoutSomeLine_Throws() =>
        Assert.Throws<FormatException>(() => CgroupUsage.Parse(null, null, "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", null, null));
}
