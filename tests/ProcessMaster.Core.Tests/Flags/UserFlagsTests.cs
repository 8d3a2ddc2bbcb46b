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
        Assert.Equal("no flag names given; pass one or more names, e.g. maint,canary",
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
            ["Later"] = Now.AddDays(1),
        };
        for (int i = 0; i < 120; i++) persisted[$"n{i:D3}"] = null;
        var flags = UserFlags.Restore(persisted, Now);
        Assert.Equal(100, flags.Count);
        Assert.Equal("later", flags.Names.First());
        Assert.DoesNotContain("expired", flags.Names);
        Assert.Equal("n098", flags.Names.Last());
    }
}
