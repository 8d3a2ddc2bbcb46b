using ProcessMaster.Daemon.Logs;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Testing;

namespace ProcessMaster.Daemon.Tests.Logs;

/// <summary>
/// Following logs in the daemon: the backlog and live lines, and the one follow budget every client (socket and web
/// console) draws on — sessions and followed files — refused with the reason, given back when a session closes or
/// fails to start.
/// </summary>
public sealed class LogReadingTests : IDisposable
{
    private readonly TempDirectory _dir = new("pm-follow-");

    public LogReadingTests()
    {
        Directory.CreateDirectory(_dir.File("logs"));
        File.WriteAllText(_dir.File("logs", "out.log"), "one\ntwo\n");
        File.WriteAllText(_dir.File("logs", "err.log"), "");
    }

    public void Dispose() => _dir.Dispose();

    private ServiceLogFile Out => new("web", _dir.File("logs", "out.log"), _dir.Path);

    private ServiceLogFile Err => new("web", _dir.File("logs", "err.log"), _dir.Path);

    [Fact]
    public async Task Follow_GivesTheBacklog_ThenEachNewLine()
    {
        using var reading = new LogReading();
        await using LogFollowSession session = reading.Follow([Out], backlog: 1);

        LogFileTail tail = Assert.Single(session.Backlog.Files);
        Assert.Equal(["two"], tail.Lines);

        await using IAsyncEnumerator<LogLineNotification> lines = session.Lines.GetAsyncEnumerator(TestContext.Current.CancellationToken);
        Task<bool> next = lines.MoveNextAsync().AsTask();
        await File.AppendAllTextAsync(Out.Path, "three\n", TestContext.Current.CancellationToken);

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(("web", Out.Path, "three"), (lines.Current.App, lines.Current.Path, lines.Current.Line));
    }

    [Fact]
    public async Task Follow_BeyondTheSessionLimit_IsRefusedBusy_UntilOneCloses()
    {
        using var reading = new LogReading(maxFollowers: 2, maxFollowedFiles: 100);
        LogFollowSession first = reading.Follow([Out], 0);
        await using LogFollowSession second = reading.Follow([Out], 0);

        RpcException refused = Assert.Throws<RpcException>(() => reading.Follow([Out], 0));
        Assert.Equal(RpcErrorCodes.Busy, refused.Code);
        Assert.StartsWith("logs_follow: too many concurrent log-follow sessions (2 open, the limit)", refused.Message, StringComparison.Ordinal);

        await first.DisposeAsync();
        await using LogFollowSession third = reading.Follow([Out], 0);
    }

    [Fact]
    public async Task Follow_BeyondTheFileBudget_IsRefused_ASmallerOneStillFits()
    {
        using var reading = new LogReading(maxFollowers: 10, maxFollowedFiles: 3);
        await using LogFollowSession both = reading.Follow([Out, Err], 0);

        RpcException refused = Assert.Throws<RpcException>(() => reading.Follow([Out, Err], 0));
        Assert.Equal(RpcErrorCodes.Busy, refused.Code);
        Assert.Contains("too many log files followed at once (2 followed now, this session needs 2, the limit is 3)", refused.Message, StringComparison.Ordinal);

        await using LogFollowSession one = reading.Follow([Err], 0);
    }

    [Fact]
    public async Task Follow_FileThatCannotBeFollowed_IsRefused_AndGivesItsSlotBack()
    {
        using var reading = new LogReading(maxFollowers: 1, maxFollowedFiles: 10);
        var missing = new ServiceLogFile("web", _dir.File("gone", "out.log"), _dir.Path);

        RpcException refused = Assert.Throws<RpcException>(() => reading.Follow([Out, missing], 0));
        Assert.Equal(RpcErrorCodes.Refused, refused.Code);
        Assert.StartsWith("cannot follow: ", refused.Message, StringComparison.Ordinal);

        // The only slot is free again: the failed session released it and the follower it had started.
        await using LogFollowSession session = reading.Follow([Out], 0);
    }

    [Fact]
    public void Follow_ThroughASymlinkedDirectory_IsRefused()
    {
        Directory.CreateDirectory(_dir.File("elsewhere"));
        File.WriteAllText(_dir.File("elsewhere", "out.log"), "secret\n");
        File.CreateSymbolicLink(_dir.File("linked"), _dir.File("elsewhere"));
        using var reading = new LogReading();

        RpcException refused = Assert.Throws<RpcException>(() => reading.Follow([new ServiceLogFile("web", _dir.File("linked", "out.log"), _dir.Path)], 5));

        Assert.Equal(RpcErrorCodes.Refused, refused.Code);
    }

    [Fact]
    public void Tail_MissingFileOrDirectory_IsListedWithNoLines()
    {
        LogsResult result = LogReading.Tail([Out, new ServiceLogFile("web", _dir.File("logs", "none.log"), _dir.Path), new ServiceLogFile("web", _dir.File("gone", "x.log"), _dir.Path)], 10);

        Assert.Equal([["one", "two"], [], []], result.Files.Select(f => f.Lines.ToArray()));
    }
}
