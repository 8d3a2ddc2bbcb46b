using ProcessMaster.Core.Flags;

namespace ProcessMaster.Core.Tests.Flags;

public class FlagSetTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Prune_RemovesFlagsExpiredAtOrBeforeNow()
    {
        var flags = FlagSet<string>.Empty.Set("a", T0).Set("b", T0.AddSeconds(1)).Set("c");
        var pruned = flags.Prune(T0, out var expired);
        Assert.Equal(["a"], expired);
        Assert.Equal(["b", "c"], pruned.Names);
        Assert.Same(pruned, pruned.Prune(T0, out var none));
        Assert.Empty(none);
    }

    [Fact]
    public void NextExpiry_IsTheEarliest_OrNull()
    {
        Assert.Null(FlagSet<string>.Empty.Set("x").NextExpiry);
        var flags = FlagSet<string>.Empty.Set("late", T0.AddHours(1)).Set("soon", T0.AddMinutes(1)).Set("never");
        Assert.Equal(T0.AddMinutes(1), flags.NextExpiry);
    }

    [Fact]
    public void Equality_IsByValue_AndOrderIsOrdinal()
    {
        var a = FlagSet<string>.Empty.Set("b").Set("B").Set("a", T0);
        var b = FlagSet<string>.Empty.Set("a", T0).Set("B").Set("b");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b.Set("a", T0.AddSeconds(1)));
        Assert.Equal("B,a,b", a.ToString());
        Assert.Same(a, a.Remove("zzz"));
    }
}
