using ProcessMaster.Daemon.Hosting;
using ProcessMaster.Daemon.Logs;
using ProcessMaster.Daemon.Persistence;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Daemon.Tests.Support;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Testing;

namespace ProcessMaster.Daemon.Tests.Persistence;

/// <summary>
/// A command's reply waits for its change to reach the state file (docs/reliability.md): the supervision loop in this
/// process, the real store on a temp directory, and the RPC surface (<see cref="SupervisorApi"/>) that answers.
/// The store's writes can be held back, so "not answered yet" is a fact the test sees, not a timing.
/// </summary>
public sealed class StateSaverTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 12, 0, 30, TimeSpan.Zero);
    private readonly LoopHarness _h = new(Start);
    private readonly LogReading _logs = new();
    private readonly StateStore _store;
    private readonly StateSaver _saver;
    private readonly SupervisorApi _api;
    private readonly Lock _lock = new();
    private TaskCompletionSource? _hold;
    private TaskCompletionSource _writeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writes;

    public StateSaverTests()
    {
        _store = new StateStore(StatePath, _h.Journal, BeforeWriteAsync);
        _saver = new StateSaver(_h.Loop, _store, "boot-1");
        // Admin actions and definition reloads are not used by the calls tested here.
        _api = new SupervisorApi(_h.Loop, _h.Journal, _logs, admin: null!, definitions: null!, requestShutdown: _ => { }, saver: _saver);
    }

    private string StatePath => _h.Scratch.File("state", "state.json");

    public async ValueTask DisposeAsync()
    {
        Release();
        await _store.DisposeAsync();
        _logs.Dispose();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task Flag_TheReplyWaitsUntilTheStateFileHoldsTheFlag_StatusDoesNotWait()
    {
        await BootAsync();
        Task<TaskCompletionSource> writing = HoldWritesAsync();

        Task<FlagResult> reply = _api.FlagAsync("quiet", ["maintenance"], "1h", RpcCaller.Internal, CancellationToken.None);
        await writing.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await _h.DrainAsync(); // the flag is set on the loop, and the reply's wait registered

        Assert.False(reply.IsCompleted, "the flag command was answered before its change was written to the state file");
        Assert.DoesNotContain("maintenance", SavedFlags());
        StatusResult status = await _api.StatusAsync(null, false, RpcCaller.Internal, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Contains("maintenance", Assert.Single(status.Statuses).UserFlags);

        Release();
        FlagResult done = await reply.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(["maintenance"], done.Flags);
        Assert.Contains("maintenance", SavedFlags());
    }

    [Fact]
    public async Task FlagBurst_WhileAWriteIsHeld_CostsOneMoreWrite_NotOneEach()
    {
        await BootAsync();
        Task<TaskCompletionSource> writing = HoldWritesAsync();
        Task<FlagResult> first = _api.FlagAsync("quiet", ["f0"], null, RpcCaller.Internal, CancellationToken.None);
        await writing.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        int before = Volatile.Read(ref _writes);

        Task<FlagResult>[] burst = [.. Enumerable.Range(1, 50).Select(i =>
            _api.FlagAsync("quiet", [$"f{i}"], null, RpcCaller.Internal, CancellationToken.None))];
        await _h.DrainAsync();
        await _h.DrainAsync();
        Assert.DoesNotContain(burst, r => r.IsCompleted);
        Release();
        await Task.WhenAll([first, .. burst]).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        int writes = Volatile.Read(ref _writes) - before;
        Assert.True(writes <= 1, $"51 flag commands cost {writes} writes beyond the one held; they should share one");
        Assert.Equal(51, SavedFlags().Count(f => f.StartsWith('f')));
    }

    [Fact]
    public async Task Flag_WhenTheStateFileCannotBeWritten_TheReplyIsAnErrorNamingIt_AndARepeatAfterTheFixSaves()
    {
        await BootAsync();
        File.Delete(StatePath);
        Directory.CreateDirectory(StatePath); // a directory where the file goes: the rename fails (EISDIR)

        RpcException error = await Assert.ThrowsAsync<RpcException>(() =>
            _api.FlagAsync("quiet", ["maintenance"], null, RpcCaller.Internal, CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.Equal(RpcErrorCodes.OperationFailed, error.Code);
        Assert.Contains("NOT saved", error.Message, StringComparison.Ordinal);
        Assert.Contains(StatePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("repeat the command", error.Message, StringComparison.Ordinal);

        Directory.Delete(StatePath);
        FlagResult repeated = await _api.FlagAsync("quiet", ["maintenance"], null, RpcCaller.Internal, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(["maintenance"], repeated.Flags);
        Assert.Contains("maintenance", SavedFlags());
    }

    [Fact]
    public async Task Status_AndACommandThatChangesNothing_AreAnsweredWithoutAWrite()
    {
        await BootAsync();
        await _api.FlagAsync("quiet", ["pinned"], null, RpcCaller.Internal, CancellationToken.None);
        Task<TaskCompletionSource> writing = HoldWritesAsync();

        RpcException unknown = await Assert.ThrowsAsync<RpcException>(() => _api.UnflagAsync("nosuch", ["pinned"], RpcCaller.Internal, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(RpcErrorCodes.UnknownService, unknown.Code);
        await _api.StatusAsync("quiet", false, RpcCaller.Internal, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.False(writing.IsCompleted, "a command that changed nothing wrote the state file");
    }

    /// <summary>Boots one idle service and waits until the boot's changes are saved.</summary>
    private async Task BootAsync()
    {
        await _h.BootAsync(null, Definitions.Parse("quiet", """
            process:
              working_directory: /tmp
              start_command: ["sleep", "600"]
            global:
              enabled: false
            """));
        await _saver.SavedAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    /// <summary>Holds every write from now on; the task completes when one is held.</summary>
    private Task<TaskCompletionSource> HoldWritesAsync()
    {
        lock (_lock)
        {
            _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _writeStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            TaskCompletionSource hold = _hold;
            return _writeStarted.Task.ContinueWith(_ => hold, TaskScheduler.Default);
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            _hold?.TrySetResult();
            _hold = null;
        }
    }

    private Task BeforeWriteAsync()
    {
        Interlocked.Increment(ref _writes);
        lock (_lock)
        {
            _writeStarted.TrySetResult();
            return _hold?.Task ?? Task.CompletedTask;
        }
    }

    /// <summary>The user flags of "quiet" in the state file (none while there is no file yet).</summary>
    private IReadOnlyCollection<string> SavedFlags() => File.Exists(StatePath)
        ? System.Text.Json.JsonSerializer.Deserialize(File.ReadAllBytes(StatePath), PersistenceJsonContext.Default.PersistedState)!
            .Services["quiet"].UserFlags.Keys
        : [];
}
