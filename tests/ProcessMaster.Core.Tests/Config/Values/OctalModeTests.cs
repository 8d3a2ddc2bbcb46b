using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Tests.Config.Values;

public class OctalModeTests
{
    [Theory]
    [InlineData("660", 0x1B0)]
    [InlineData("0660", 0x1B0)]
    [InlineData("0o660", 0x1B0)]
    [InlineData("0O660", 0x1B0)]
    [InlineData(" 600 ", 0x180)]
    [InlineData("0", 0)]
    [InlineData("0000", 0)]
    [InlineData("4755", 0x9ED)]
    [InlineData("7777", 0xFFF)]
    public void TryParse_DocumentedExamples_ReadAsOctal(string text, int value)
    {
        Assert.True(OctalMode.TryParse(text, out OctalMode v, out string error), error);
        Assert.Equal(value, v.Value);
    }

    [Theory]
    [InlineData("680", "digit '8' is not octal")]
    [InlineData("799", "digit '9' is not octal")]
    [InlineData("77777", "exceeds the maximum 07777")]
    [InlineData("", "empty")]
    [InlineData("0o", "empty")]
    [InlineData("-1", "must not be negative")]
    [InlineData("rw-", "'r' is not an octal digit")]
    public void TryParse_Junk_ReportsError(string text, string expected)
    {
        Assert.False(OctalMode.TryParse(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x1B0, "0660", "rw-rw----")]
    [InlineData(0x180, "0600", "rw-------")]
    [InlineData(0x9ED, "04755", "rwsr-xr-x")]
    [InlineData(0x3FF, "01777", "rwxrwxrwt")]
    public void ToString_RendersOctalAndSymbolic(int value, string octal, string symbolic)
    {
        Assert.Equal(octal, new OctalMode(value).ToString());
        Assert.Equal(symbolic, new OctalMode(value).Symbolic);
    }
}
