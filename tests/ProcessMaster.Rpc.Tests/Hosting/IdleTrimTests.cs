using Microsoft.Extensions.Time.Testing;
using ProcessMaster.Daemon.Hosting;
using ProcessMaster.Linux.Procfs;

namespace ProcessMaster.Rpc.Tests.Hosting;

/// <summary>The idle trim on a fake clock: once quiet, at most once per interval, never on its own while nothing happens.</summary>
public sealed class IdleTrimTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private int _trims;

    [Fact]
    public void Poke_TrimsOnceQuietAfterTheLastPoke()
    {
        using var trim = new IdleTrim(_time, () => _trims++);
        trim.Poke();
        _time.Advance(IdleTrim.Quiet - TimeSpan.FromSeconds(1));
        trim.Poke(); // still busy: the quiet period starts again
        _time.Advance(IdleTrim.Quiet - TimeSpan.FromSeconds(1));
        Assert.Equal(0, _trims);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _trims);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, _trims); // nothing happened since: no more trims
    }

    [Fact]
    public void Poke_SoonAfterATrim_WaitsForTheInterval()
    {
        using var trim = new IdleTrim(_time, () => _trims++);
        trim.Poke();
        _time.Advance(IdleTrim.Quiet);
        Assert.Equal(1, _trims);
        trim.Poke();
        _time.Advance(IdleTrim.Quiet);
        Assert.Equal(1, _trims);
        _time.Advance(IdleTrim.MinInterval);
        Assert.Equal(2, _trims);
    }

    [Fact]
    public void NeverPoked_NeverTrims()
    {
        using var trim = new IdleTrim(_time, () => _trims++);
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, _trims);
    }

    [Fact]
    public void FilePageTrim_DropsCleanFilePages_AndTheProcessRunsOn()
    {
        long dropped = FilePageTrim.DropCleanFileMappings();
        Assert.True(dropped > 0, "the test host maps code and read-only data from files; some of it was resident");
        // Code and read-only data come back on the next access, unchanged.
        Assert.Equal("3", (1 + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        IdleTrim.TrimNow();
    }
}
