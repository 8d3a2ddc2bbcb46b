using System.Text;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Persistence;
using ProcessMaster.Linux.Files;
using ProcessMaster.Testing;

namespace ProcessMaster.Daemon.Tests.Persistence;

/// <summary>
/// The state file on disk: written atomically and privately, read back whole; anything wrong with it (garbage,
/// another version, too big, not the daemon's, a symlink) is said and ignored, never a crash at boot.
/// </summary>
public sealed class StateStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("pm-state-");
    private readonly EventJournal _journal = new(TimeProvider.System);
    private StateStore _store = null!;

    private string StateDirectory => _dir.File("state");

    private string StatePath => _dir.File("state", "state.json");

    public ValueTask InitializeAsync()
    {
        _store = new StateStore(StatePath, _journal);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void New_MissingDirectory_IsCreatedPrivate()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(StateDirectory));
        Assert.Null(_store.Load());
        Assert.Empty(Warnings());
    }

    [Fact]
    public void SaveNow_ThenLoad_GivesTheStateBack_InAPrivateFile()
    {
        PersistedState state = Sample("web", ServiceState.Running);

        Assert.True(_store.SaveNow(state));
        PersistedState? loaded = _store.Load();

        Assert.NotNull(loaded);
        Assert.Equal("boot-a", loaded.BootId);
        Assert.Equal(ServiceState.Running, loaded.Services["web"].State);
        Assert.Equal(4321, loaded.Services["web"].MainPid);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StatePath));
        Assert.Empty(Directory.GetFiles(StateDirectory, ".*")); // no temporary file left behind
    }

    [Fact]
    public async Task Save_Burst_TheNewestSnapshotIsWhatStays()
    {
        for (int i = 0; i < 200; i++) _store.Save(Sample("web", ServiceState.Running, pid: 1000 + i));

        await DaemonInstance.WaitUntilAsync(() => _store.Load()?.Services["web"].MainPid == 1199, TimeSpan.FromSeconds(30), "the last of 200 snapshots in the state file");
    }

    [Fact]
    public void Load_Garbage_IsReportedAndIgnored()
    {
        File.WriteAllText(StatePath, "{\"version\": 1, \"services\": {\"web\": ");
        File.SetUnixFileMode(StatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Null(_store.Load());
        Assert.Contains(Warnings(), m => m.Contains("cannot restore saved state", StringComparison.Ordinal) && m.Contains(StatePath, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownEnumValue_IsReportedAndIgnored()
    {
        WritePrivate("""{"version": 1, "services": {"web": {"state": "Levitating"}}}""");

        Assert.Null(_store.Load());
        Assert.Contains(Warnings(), m => m.Contains("cannot restore saved state", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Load_OtherVersion_IsReportedAndIgnored(int version)
    {
        PersistedState state = Sample("web", ServiceState.Running);
        state.Version = version;
        _store.SaveNow(state);

        Assert.Null(_store.Load());
        Assert.Contains(Warnings(), m => m.Contains($"version {version} is not {PersistedState.CurrentVersion}", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_JsonNull_IsReportedAndIgnored()
    {
        WritePrivate("null");

        Assert.Null(_store.Load());
        Assert.Contains(Warnings(), m => m.Contains("starting without saved state", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_OverTheSizeLimit_IsRefusedUnread()
    {
        using (FileStream big = File.Create(StatePath)) big.SetLength(StateStore.MaxBytes + 1L);
        File.SetUnixFileMode(StatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Null(_store.Load());
        Assert.Contains(Warnings(), m => m.Contains("limit", StringComparison.Ordinal) && m.Contains("cannot restore saved state", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_GroupWritable_IsNotRestored()
    {
        _store.SaveNow(Sample("web", ServiceState.Running));
        File.SetUnixFileMode(StatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);

        Assert.Null(_store.Load());
        Assert.Contains(_journal.Last(10), e => e.Message.Contains("not restored", StringComparison.Ordinal) && e.Message.Contains("0620", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_WorldReadable_IsRestoredAndMadePrivate()
    {
        _store.SaveNow(Sample("web", ServiceState.Running));
        File.SetUnixFileMode(StatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.NotNull(_store.Load());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StatePath));
        Assert.Contains(Warnings(), m => m.Contains("mode was 0644; set to 0600", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_Symlink_IsNotFollowed()
    {
        string elsewhere = _dir.File("planted.json");
        File.WriteAllBytes(elsewhere, Encoding.UTF8.GetBytes("""{"version": 1, "services": {}}"""));
        File.CreateSymbolicLink(StatePath, elsewhere);

        Assert.Null(_store.Load());
        Assert.Contains(Warnings(), m => m.Contains("cannot restore saved state", StringComparison.Ordinal));
    }

    [Fact]
    public void SaveNow_OverASymlink_ReplacesTheLink_NotItsTarget()
    {
        string target = _dir.File("target.txt");
        File.WriteAllText(target, "not the daemon's");
        File.CreateSymbolicLink(StatePath, target);

        Assert.True(_store.SaveNow(Sample("web", ServiceState.Running)));

        Assert.Equal("not the daemon's", File.ReadAllText(target));
        Assert.Null(new FileInfo(StatePath).LinkTarget);
        Assert.NotNull(_store.Load());
    }

    [Fact]
    public void SaveNow_Failing_IsReportedOncePerStreak_AndTheRecoverySaid()
    {
        Directory.CreateDirectory(StatePath); // a directory where the file goes: the rename over it fails

        Assert.False(_store.SaveNow(Sample("web", ServiceState.Running)));
        Assert.False(_store.SaveNow(Sample("web", ServiceState.Stopped)));
        Assert.Single(_journal.Last(10), e => e.Severity == EventSeverity.Error && e.Message.Contains("cannot save state", StringComparison.Ordinal));

        Directory.Delete(StatePath);
        Assert.True(_store.SaveNow(Sample("web", ServiceState.Stopped)));

        Assert.Contains(_journal.Last(10), e => e.Message.EndsWith("saved again", StringComparison.Ordinal));
        Assert.Equal(ServiceState.Stopped, _store.Load()!.Services["web"].State);
    }

    [Fact]
    public void New_GroupWritableDirectory_Refuses()
    {
        string open = _dir.Subdirectory("open");
        File.SetUnixFileMode(open, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);

        UnsafePathException e = Assert.Throws<UnsafePathException>(() => new StateStore(Path.Combine(open, "state.json"), _journal));

        Assert.Contains("not writable by group or others", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(open));
    }

    private static PersistedState Sample(string app, ServiceState state, int pid = 4321)
    {
        var saved = new PersistedState { BootId = "boot-a", SavedAtMs = 1_764_936_000_000 };
        saved.Services[app] = new PersistedService { State = state, MainPid = pid, Since = new PersistedMoment { WallMs = 1_764_936_000_000, MonoTicks = 42 } };
        return saved;
    }

    private void WritePrivate(string text)
    {
        File.WriteAllText(StatePath, text);
        File.SetUnixFileMode(StatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private List<string> Warnings() =>
        [.. _journal.Last(EventJournal.Capacity).Where(e => e.Severity == EventSeverity.Warning).Select(e => e.Message)];
}
