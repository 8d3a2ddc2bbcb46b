using ProcessMaster.Linux.Cgroups;

namespace ProcessMaster.Linux.Tests.Cgroups;

public class CgroupParsersTests
{
    [Theory]
    [InlineData("populated 1\nfrozen 0\n", true)]
    [InlineData("populated 0\nfrozen 0\n", false)]
    public void ParsePopulated_EventsText_ReadsTheFlag(string text, bool expected) =>
        Assert.Equal(expected, CgroupNode.ParsePopulated(text));

    [Fact]
    public void ParsePopulated_NoKey_Throws() => Assert.Throws<FormatException>(() => CgroupNode.ParsePopulated("frozen 0\n"));

    [Fact]
    public void CpuStat_Parse_ReadsKnownKeys()
    {
        CpuStat s = CpuStat.Parse("usage_usec 120\nuser_usec 100\nsystem_usec 20\nnr_periods 5\nnr_throttled 1\nthrottled_usec 7\nnr_bursts 0\n");
        Assert.Equal(new CpuStat(120, 100, 20, 5, 1, 7), s);
        Assert.Null(CpuStat.Parse("usage_usec 1\nuser_usec 1\nsystem_usec 0\n").NrPeriods);
    }

    [Fact]
    public void PressureStat_Parse_ReadsSomeAndFull()
    {
        PressureStat p = PressureStat.Parse("some avg10=1.50 avg60=0.25 avg300=0.00 total=1234\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=5\n");
        Assert.Equal(new PressureLine(1.5, 0.25, 0, 1234), p.Some);
        Assert.Equal(5ul, p.Full!.Value.TotalUsec);
    }

    [Fact]
    public void SelfCgroup_Parse_ReadsTheV2Line() =>
        Assert.Equal("/pm/run", SelfCgroup.Parse("4:memory:/x\n0::/pm/run\n"));
}
