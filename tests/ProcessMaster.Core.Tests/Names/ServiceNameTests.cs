using ProcessMaster.Core.Names;

namespace ProcessMaster.Core.Tests.Names;

public class ServiceNameTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("web.prod")]
    [InlineData("a_b-c.9")]
    [InlineData("X")]
    [InlineData("all")]
    [InlineData("a..b")]
    public void TryParse_ValidNames_AreAccepted(string text)
    {
        Assert.True(ServiceName.TryParse(text, out ServiceName name, out string error), error);
        Assert.Equal(text, name.ToString());
    }

    [Fact]
    public void TryParse_64Characters_IsTheLimit()
    {
        Assert.True(ServiceName.TryParse(new string('a', 64), out _, out _));
        Assert.False(ServiceName.TryParse(new string('a', 65), out _, out string error));
        Assert.Equal($"service name \"{new string('a', 65)}\" is longer than 64 characters", error);
    }

    [Theory]
    [InlineData("", "service name must not be empty")]
    [InlineData(".", "service name \".\" is reserved")]
    [InlineData("..", "service name \"..\" is reserved")]
    [InlineData(".hidden", "service name \".hidden\" must not start with '.'")]
    [InlineData("my app", "service name \"my app\" contains invalid character ' ' (allowed: ASCII letters, digits, '-', '_', '.')")]
    [InlineData("x/../y", "service name \"x/../y\" contains invalid character '/' (allowed: ASCII letters, digits, '-', '_', '.')")]
    [InlineData("café", "contains invalid character 'é'")]
    public void TryParse_InvalidNames_GiveReferenceMessages(string text, string expected)
    {
        Assert.False(ServiceName.TryParse(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_IsCaseSensitive()
    {
        Assert.NotEqual(ServiceName.Parse("Web"), ServiceName.Parse("web"));
        Assert.Equal(ServiceName.Parse("web"), ServiceName.Parse("web"));
    }
}
