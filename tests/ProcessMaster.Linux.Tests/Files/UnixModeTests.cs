using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Tests.Files;

/// <summary>Every mode constant is the octal number its name says (audit X2: C# has no octal literals).</summary>
public class UnixModeTests
{
    [Theory]
    [InlineData(UnixMode.Mode0755, "0755")]
    [InlineData(UnixMode.Mode0750, "0750")]
    [InlineData(UnixMode.Mode0700, "0700")]
    [InlineData(UnixMode.Mode0644, "0644")]
    [InlineData(UnixMode.Mode0640, "0640")]
    [InlineData(UnixMode.Mode0600, "0600")]
    [InlineData(UnixMode.GroupOrOtherWrite, "022")]
    [InlineData(UnixMode.GroupOrOtherAny, "077")]
    [InlineData(UnixMode.PermissionMask, "07777")]
    public void Constant_EqualsItsOctalText(uint mode, string octal)
    {
        Assert.Equal(Convert.ToUInt32(octal, 8), mode);
    }

    [Theory]
    [InlineData(UnixMode.Mode0755, "0755")]
    [InlineData(0b000_000_000u, "0000")]
    [InlineData(0b100_111_101_101u, "04755")]
    public void Format_FourOctalDigits(uint mode, string text) => Assert.Equal(text, UnixMode.Format(mode));
}
