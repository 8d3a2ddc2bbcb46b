using System.Text.Json;
using ProcessMaster.Cli.Rendering;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Rpc.Tests.Cli;

/// <summary>OOM kills, cpu throttling and pressure in <c>status</c>: the wire names and the text lines under the table.</summary>
public class ContentionLinesTests
{
    private static readonly StatusEntry Contended = new()
    {
        Application = "eater",
        OomKills = 2,
        NrThrottled = 21,
        ThrottledUsec = 17600123,
        CpuPressureAvg10 = 3.1,
        MemoryPressureAvg10 = 12.5,
        IoPressureAvg10 = 0,
    };

    [Fact]
    public void Render_Contended_OneLineWithEveryFigure() =>
        Assert.Equal(["~ eater: oom_kills=2 nr_throttled=21 throttled_usec=17600123 psi.some.avg10 cpu=3.10 memory=12.50 io=0.00"],
            ContentionLines.Render([Contended]));

    [Fact]
    public void Render_NothingExposedOrAllZero_NoLine()
    {
        StatusEntry bare = new() { Application = "web" };
        StatusEntry calm = new() { Application = "api", OomKills = 0, NrThrottled = 0, CpuPressureAvg10 = 0 };
        Assert.Empty(ContentionLines.Render([bare, calm]));
    }

    [Fact]
    public void Render_OnlySomeExposed_LeavesTheRestOut() =>
        Assert.Equal(["~ api: oom_kills=1"], ContentionLines.Render([new StatusEntry { Application = "api", OomKills = 1 }]));

    [Fact]
    public void StatusEntry_Json_UsesSnakeCaseNames()
    {
        string json = JsonSerializer.Serialize(Contended, ProtocolJsonContext.Default.StatusEntry);
        foreach (string key in new[] { "\"oom_kills\":2", "\"nr_throttled\":21", "\"throttled_usec\":17600123", "\"cpu_pressure_avg10\":3.1", "\"memory_pressure_avg10\":12.5", "\"io_pressure_avg10\":0" })
            Assert.Contains(key, json, StringComparison.Ordinal);
        string bare = JsonSerializer.Serialize(new StatusEntry { Application = "web" }, ProtocolJsonContext.Default.StatusEntry);
        Assert.Contains("\"oom_kills\":null", bare, StringComparison.Ordinal);
    }
}
