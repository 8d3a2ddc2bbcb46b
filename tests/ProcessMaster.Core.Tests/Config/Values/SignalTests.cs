using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Tests.Config.Values;

public class SignalTests
{
    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("SIGTERM", 15)]
    [InlineData("sigterm", 15)]
    [InlineData(" TERM ", 15)]
    [InlineData("KILL", 9)]
    [InlineData("INT", 2)]
    [InlineData("HUP", 1)]
    [InlineData("QUIT", 3)]
    [InlineData("ABRT", 6)]
    [InlineData("ALRM", 14)]
    [InlineData("USR1", 10)]
    [InlineData("SigUsr2", 12)]
    [InlineData("CHLD", 17)]
    [InlineData("WINCH", 28)]
    public void TryParse_Names_CarryLinuxNumbers(string text, int number)
    {
        Assert.True(Signal.TryParse(text, out Signal s, out string error), error);
        Assert.Equal(number, s.Number);
    }

    [Theory]
    [InlineData("SIGFOO", "unknown signal \"SIGFOO\"")]
    [InlineData("9", "numbers are not accepted")]
    [InlineData("", "unknown signal")]
    [InlineData("SIG", "unknown signal")]
    public void TryParse_Junk_ReportsError(string text, string expected)
    {
        Assert.False(Signal.TryParse(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_EveryKnownName_RoundTrips()
    {
        foreach (string name in Signal.KnownNames)
        {
            Assert.True(Signal.TryParse(name, out Signal s, out _));
            Assert.True(Signal.TryParse(s.ToString(), out Signal again, out _));
            Assert.Equal(s, again);
            Assert.Equal("SIG" + name, s.ToString());
        }
    }
}
