using ProcessMaster.Core.Flags;

namespace ProcessMaster.Core.Tests.Flags;

public class UserFlagsTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Set_NormalisesNames_DropsEmpty_Dedupes()
    {
        var update = UserFlags.Set(FlagSet<string>.Empty, [" Maint ", "", "CANARY", "maint"], null, Now);
        Assert.Null(update.Error);
        Assert.Equal(["canary", "maint"], update.Flags.Names);
    }

    [Fact]
    public void Set_Again_OverwritesExpiry()
    {
        var flags = UserFlags.Set(FlagSet<string>.Empty, ["maint"], Now.AddHours(1), Now).Flags;
        flags = UserFlags.Set(flags, ["maint"], null, Now).Flags;
        Assert.True(flags.TryGetExpiry("maint", out var expiry));
        Assert.Null(expiry);
    }

    [Fact]
    public void Set_NameOver50Bytes_RefusedAndNothingChanged()
    {
        var flags = FlagSet<string>.Empty.Set("keep");
        var fifty = new string('a', 50);
        Assert.Null(UserFlags.Set(flags, [fifty], null, Now).Error);
        var update = UserFlags.Set(flags, ["ok", fifty + "b"], null, Now);
        Assert.Equal($"flag \"{fifty}b\" exceeds max length 50 bytes (51); use a shorter name", update.Error);
        Assert.Same(flags, update.Flags);
        Assert.NotNull(UserFlags.Set(flags, [new string('é', 26)], null, Now).Error);   // 52 bytes, 26 chars
    }

    [Fact]
    public void Set_101stFlag_Refused()
    {
        var flags = UserFlags.Set(FlagSet<string>.Empty, [.. Enumerable.Range(0, 100).Select(i => $"f{i}")], null, Now).Flags;
        Assert.Equal(100, flags.Count);
        Assert.Null(UserFlags.Set(flags, ["f7"], null, Now).Error);
        Assert.Equal("too many user flags (would become 101, max 100); unflag some first", UserFlags.Set(flags, ["new"], null, Now).Error);
    }

    [Fact]
    public void Set_PrunesExpiredFirst_AndReportsThem()
    {
        var flags = FlagSet<string>.Empty.Set("old", Now.AddSeconds(-1));
        var update = UserFlags.Set(flags, ["new"], Now.AddMinutes(10), Now);
        Assert.Equal(["old"], update.Expired);
        Assert.Equal(["new"], update.Flags.Names);
        Assert.Equal(Now.AddMinutes(10), update.Flags.NextExpiry);
    }

    [Fact]
    public void Set_NoNames_Refused()
    {
        Assert.Equal("no flags provided; pass one or more names, e.g. maint,canary",
            UserFlags.Set(FlagSet<string>.Empty, [" ", ""], null, Now).Error);
    }

    [Fact]
    public void Unset_RemovesNormalisedNames_IgnoresAbsent()
    {
        var flags = FlagSet<string>.Empty.Set("maint").Set("canary");
        var update = UserFlags.Unset(flags, [" MAINT", "absent"], Now);
        Assert.Null(update.Error);
        Assert.Equal(["canary"], update.Flags.Names);
    }

    [Fact]
    public void Restore_DropsExpiredInvalidAndExcess()
    {
        var persisted = new Dictionary<string, DateTimeOffset?>
        {
            ["expired"] = Now,
            [""] = null,
            [new string('x', 51)] = null,
            ["bad\u001bflag"] = null,
            ["a b"] = null,
            [new string('y', 5000)] = null,
            ["Later"] = Now.AddDays(1),
        };
        for (int i = 0; i < 120; i++) persisted[$"n{i:D3}"] = null;
        var flags = UserFlags.Restore(persisted, Now);
        Assert.Equal(100, flags.Count);
        Assert.Equal("later", flags.Names.First());
        Assert.DoesNotContain("expired", flags.Names);
        Assert.Equal("n098", flags.Names.Last());
    }

    [Theory]
    [InlineData("ok\u001b[31m", "U+001B")]
    [InlineData("a\nb", "U+000A")]
    [InlineData("with space", "U+0020")]
    [InlineData("ünïcode", "U+00FC")]
    [InlineData("semi;colon", "U+003B")]
    public void Set_CharacterOutsideTheAllowList_RefusedAndNothingChanged(string name, string shown)
    {
        var flags = FlagSet<string>.Empty.Set("keep");
        var update = UserFlags.Set(flags, ["fine", name], null, Now);
        Assert.Equal($"flag \"{name.Trim().ToLowerInvariant()}\": the character {shown} is not allowed; user flags use only a-z 0-9 _ . : - (upper case is lower-cased)", update.Error);
        Assert.Same(flags, update.Flags);
    }

    [Fact]
    public void Set_AllowedCharacters_Accepted() =>
        Assert.Equal(["deploy:v1.2_canary-3"], UserFlags.Set(FlagSet<string>.Empty, ["Deploy:V1.2_Canary-3"], null, Now).Flags.Names);

    [Fact]
    public void TryParseNames_MoreThan100Raw_RefusedEvenIfTheyWouldMergeIntoOne()
    {
        Assert.False(UserFlags.TryParseNames([.. Enumerable.Repeat("a", 101)], out _, out string error));
        Assert.Equal("too many flags in one request (101; at most 100); send fewer", error);
        Assert.True(UserFlags.TryParseNames([.. Enumerable.Repeat("a", 100)], out IReadOnlyList<string> names, out _));
        Assert.Equal(["a"], names);
    }

    [Fact]
    public void TryParseNames_ARawNameOver50Bytes_RefusedBeforeTrimming_AHugeOneNotEvenCounted()
    {
        Assert.False(UserFlags.TryParseNames([" " + new string('a', 50)], out _, out string padded));
        Assert.StartsWith("flag \" aaaa", padded, StringComparison.Ordinal);
        Assert.EndsWith("exceeds max length 50 bytes (51); use a shorter name", padded, StringComparison.Ordinal);
        Assert.False(UserFlags.TryParseNames([new string('z', 1_000_000)], out _, out string huge));
        Assert.Equal($"flag \"{new string('z', 60)}…\" exceeds max length 50 bytes (over 200); use a shorter name", huge);
    }

    [Fact]
    public void TryParseNames_OneHundredDistinct_AllKeptInOrder()
    {
        string[] raw = [.. Enumerable.Range(0, 100).Select(i => $"F{i:D3}")];
        Assert.True(UserFlags.TryParseNames(raw, out IReadOnlyList<string> names, out _));
        Assert.Equal(raw.Select(r => r.ToLowerInvariant()), names);
    }
}
