using System.Text;
using System.Text.Json;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Rpc.Tests.Support;
using ProcessMaster.Testing;

namespace ProcessMaster.Rpc.Tests.Daemon;

public class JsonRpcConnectionTests
{
    private const string Status = """{"jsonrpc":"2.0","id":1,"method":"status"}""";

    [Fact]
    public async Task Handshake_CoBuilt_ReturnsDaemonStamp()
    {
        await using var h = new ConnectionHarness();
        JsonElement result = Errors.Result(await h.Client.CallLineAsync(DaemonSocket.HandshakeLine(BuildInfo.Host, BuildInfo.Time, id: 5)));
        Assert.Equal(BuildInfo.Host, result.GetProperty("build_host").GetString());
        Assert.Equal(BuildInfo.Time, result.GetProperty("build_time").GetString());
        Assert.Equal(JsonRpcVersion.ProtocolVersion, result.GetProperty("protocol_version").GetInt32());
    }

    [Fact]
    public async Task Handshake_Mismatch_NotCoBuiltTextWithBothStampsThenClose()
    {
        await using var h = new ConnectionHarness();
        JsonElement reply = await h.Client.CallLineAsync(DaemonSocket.HandshakeLine("otherhost", "2020-01-01 00:00:00.000", id: 3));
        (int code, string message) = Errors.Of(reply);
        Assert.Equal(RpcErrorCodes.NotCoBuilt, code);
        Assert.Equal(BuildInfo.NotCoBuiltMessage("otherhost", "2020-01-01 00:00:00.000"), message);
        Assert.StartsWith("pmctl is not co-built with this daemon", message, StringComparison.Ordinal);
        Assert.Contains("Fix:", message, StringComparison.Ordinal);
        Assert.Equal(3, reply.GetProperty("id").GetInt32());
        JsonElement data = reply.GetProperty("error").GetProperty("data");
        Assert.Equal("otherhost", data.GetProperty("client").GetProperty("build_host").GetString());
        Assert.Equal(BuildInfo.Host, data.GetProperty("daemon").GetProperty("build_host").GetString());
        Assert.Null(await h.Client.ReadLineAsync(awaiting: "the close after a refused handshake"));
    }

    [Fact]
    public async Task Method_BeforeHandshake_HandshakeRequired_ThenWorksAfter()
    {
        await using var h = new ConnectionHarness();
        (int code, string message) = Errors.Of(await h.Client.CallLineAsync(Status));
        Assert.Equal(RpcErrorCodes.HandshakeRequired, code);
        Assert.Contains("call \"handshake\" first", message, StringComparison.Ordinal);
        await h.Client.HandshakeAsync();
        Assert.Equal(2, Errors.Result(await h.Client.CallLineAsync(Status)).GetProperty("statuses").GetArrayLength());
    }

    [Fact]
    public async Task SeveralRequests_OneConnection_AnsweredInOrderWithIds()
    {
        await using var h = new ConnectionHarness();
        await h.Client.HandshakeAsync();
        await h.Client.SendLineAsync("""{"jsonrpc":"2.0","id":"a","method":"status","params":{"name":"web"}}""");
        await h.Client.SendLineAsync("""{"jsonrpc":"2.0","id":2,"method":"events","params":{"n":1}}""");
        await h.Client.SendLineAsync("""{"jsonrpc":"2.0","id":3,"method":"server_version"}""");
        JsonElement first = await h.Client.ReadAsync();
        JsonElement second = await h.Client.ReadAsync();
        JsonElement third = await h.Client.ReadAsync();
        Assert.Equal("a", first.GetProperty("id").GetString());
        Assert.Equal("web", Errors.Result(first).GetProperty("statuses")[0].GetProperty("application").GetString());
        Assert.Equal(1, Errors.Result(second).GetProperty("events").GetArrayLength());
        Assert.Equal(BuildInfo.Banner, Errors.Result(third).GetProperty("banner").GetString());
    }

    [Fact]
    public async Task Status_KeepsOriginalFieldNamesAndNulls()
    {
        await using var h = new ConnectionHarness();
        await h.Client.HandshakeAsync();
        JsonElement entry = Errors.Result(await h.Client.CallLineAsync("""{"jsonrpc":"2.0","id":1,"method":"status","params":{"name":"nightly"}}""")).GetProperty("statuses")[0];
        string[] original =
        [
            "application", "enabled", "running", "actual", "phase", "restarts_10m", "system_flags", "user_flags", "pids", "pid_uptimes_ms",
            "working_directory", "provisioning_marker", "provisioning_defined", "provisioning_marker_exists", "source_file", "last_run_at_ms",
            "last_exit_code", "schedule", "schedule_not_before_ms", "schedule_not_after_ms", "schedule_max_time_per_run_ms",
        ];
        foreach (string field in original) Assert.True(entry.TryGetProperty(field, out _), $"status entry lacks the original's field {field}");
        Assert.Equal("STOPPED", entry.GetProperty("actual").GetString());
        Assert.Equal("STOPPED", entry.GetProperty("phase").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("schedule_not_before_ms").ValueKind);
        Assert.Equal("job", entry.GetProperty("kind").GetString());
        Assert.Equal("idle", entry.GetProperty("state").GetString());
    }

    [Fact]
    public async Task ParseError_RepliesWithNullId_ConnectionStaysUsable()
    {
        await using var h = new ConnectionHarness();
        await h.Client.HandshakeAsync();
        JsonElement reply = await h.Client.CallLineAsync("{\"jsonrpc\":\"2.0\",\"id\":1,");
        Assert.Equal(RpcErrorCodes.ParseError, Errors.Of(reply).Code);
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("id").ValueKind);
        Errors.Result(await h.Client.CallLineAsync(Status));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"reload"}""", RpcErrorCodes.MethodNotFound, "unknown method \"reload\"")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"start"}""", RpcErrorCodes.InvalidParams, "start: invalid params: missing required field \"name\"")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"start","params":{"name":"web","force":"yes"}}""", RpcErrorCodes.InvalidParams, "field \"force\" has the wrong type; expected true or false")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"start","params":{"nme":"web"}}""", RpcErrorCodes.InvalidParams, "unknown field \"nme\"")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"start","params":{"name":""}}""", RpcErrorCodes.InvalidParams, "field \"name\" must not be empty")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"start","params":{"name":"../etc"}}""", RpcErrorCodes.InvalidParams, "is not a service name")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"status","params":{"resources":"yes"}}""", RpcErrorCodes.InvalidParams, "field \"resources\" has the wrong type; expected true or false")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"events","params":{"n":-1}}""", RpcErrorCodes.InvalidParams, "field \"n\" is -1; it must be between 0 and 2000")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"logs","params":{"name":"web","n":"5"}}""", RpcErrorCodes.InvalidParams, "field \"n\" has the wrong type; expected an integer")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"logs","params":{"name":null}}""", RpcErrorCodes.InvalidParams, "must not be null")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"flag","params":{"name":"web","flags":[" ",""]}}""", RpcErrorCodes.InvalidParams, "no flags provided")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"flag","params":{"name":"web","flags":"a,b"}}""", RpcErrorCodes.InvalidParams, "field \"flags\" has the wrong type")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"flag","params":{"name":"web","flags":["ok\u001b[31mRED"]}}""", RpcErrorCodes.InvalidParams, "the character U+001B is not allowed; user flags use only a-z 0-9 _ . : -")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"flag","params":{"name":"web","flags":["a\nb"]}}""", RpcErrorCodes.InvalidParams, "the character U+000A is not allowed")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"unflag","params":{"name":"web","flags":["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]}}""", RpcErrorCodes.InvalidParams, "exceeds max length 50 bytes (51)")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"flag","params":{"name":"web","flags":["x"],"ttl":"10"}}""", RpcErrorCodes.InvalidParams, "ttl: missing unit after 10")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"update","params":{"x":1}}""", RpcErrorCodes.InvalidParams, "unknown field \"x\"")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"logs_follow","params":{"file":"../x"}}""", RpcErrorCodes.InvalidParams, "must be a file's base name")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"status","params":{"name":"nope"}}""", RpcErrorCodes.UnknownService, "unknown service: nope")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"start","params":{"name":"broken"}}""", RpcErrorCodes.OperationFailed, "broken: spawn failed")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"start","params":{"name":"throws"}}""", RpcErrorCodes.InternalError, "start: internal error: boom")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"admin_run","params":{"id":"Update-PM"}}""", RpcErrorCodes.Refused, "is not configured in the main config")]
    public async Task BadCall_ErrorReplyNamesTheProblem(string line, int code, string text)
    {
        await using var h = new ConnectionHarness();
        await h.Client.HandshakeAsync();
        JsonElement reply = await h.Client.CallLineAsync(line);
        (int actualCode, string message) = Errors.Of(reply);
        Assert.Equal(code, actualCode);
        Assert.Contains(text, message, StringComparison.Ordinal);
        Assert.Equal(1, reply.GetProperty("id").GetInt32());
        Errors.Result(await h.Client.CallLineAsync(Status));
    }

    [Fact]
    public async Task Flag_NormalizesBeforeTheSupervisor()
    {
        await using var h = new ConnectionHarness();
        await h.Client.HandshakeAsync();
        JsonElement result = Errors.Result(await h.Client.CallLineAsync("""{"jsonrpc":"2.0","id":1,"method":"flag","params":{"name":"web","flags":["A"," b ","a"],"ttl":"1h"}}"""));
        Assert.Equal("web: flags=a,b", result.GetProperty("message").GetString());
        Assert.Contains("flag web [a,b] ttl=1h", h.Supervisor.Calls);
    }

    [Fact]
    public async Task Notification_IsExecutedWithoutReply()
    {
        await using var h = new ConnectionHarness();
        await h.Client.HandshakeAsync();
        await h.Client.SendLineAsync("""{"jsonrpc":"2.0","method":"update"}""");
        await h.Client.SendLineAsync("""{"jsonrpc":"2.0","method":"nope"}""");
        JsonElement reply = await h.Client.CallLineAsync("""{"jsonrpc":"2.0","id":9,"method":"server_version"}""");
        Assert.Equal(9, reply.GetProperty("id").GetInt32());
        Assert.Contains("update", h.Supervisor.Calls);
    }

    [Fact]
    public async Task OverOneMiB_ErrorReplyThenClose()
    {
        await using var h = new ConnectionHarness(pipeLimit: 8 * 1024 * 1024);
        await h.Client.HandshakeAsync();
        string huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":{\"name\":\"" + new string('x', JsonRpcVersion.MaxRequestBytes) + "\"}}";
        await h.Client.SendLineAsync(huge);
        (int code, string message) = Errors.Of(await h.Client.ReadAsync("the over-1-MiB refusal"));
        Assert.Equal(RpcErrorCodes.InvalidRequest, code);
        Assert.Contains("exceeds the 1048576-byte limit (1 MiB)", message, StringComparison.Ordinal);
        Assert.Null(await h.Client.ReadLineAsync(awaiting: "the close after an oversized request"));
        await h.Serving.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ExactlyOneMiB_IsAccepted()
    {
        await using var h = new ConnectionHarness(pipeLimit: 8 * 1024 * 1024);
        await h.Client.HandshakeAsync();
        string head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server_version\",\"pad\":\"";
        string line = head + new string(' ', JsonRpcVersion.MaxRequestBytes - head.Length - 2) + "\"}";
        Assert.Equal(JsonRpcVersion.MaxRequestBytes, Encoding.UTF8.GetByteCount(line));
        Errors.Result(await h.Client.CallLineAsync(line));
    }

    [Fact]
    public async Task BlankLines_AreIgnored()
    {
        await using var h = new ConnectionHarness();
        await h.Client.SendRawAsync("\n\r\n  \n"u8.ToArray());
        await h.Client.HandshakeAsync();
    }

    [Fact]
    public async Task IdleClient_IsClosed()
    {
        await using var h = new ConnectionHarness(new RpcServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(200) });
        await h.Client.HandshakeAsync();
        Assert.Null(await h.Client.ReadLineAsync(awaiting: "the idle close"));
    }

    [Fact]
    public async Task SlowPartialLine_TimesOutWithError()
    {
        await using var h = new ConnectionHarness(new RpcServerOptions { LineTimeout = TimeSpan.FromMilliseconds(200) });
        await h.Client.SendRawAsync("{\"jsonrpc\":"u8.ToArray());
        (int code, string message) = Errors.Of(await h.Client.ReadAsync("the slow-line refusal"));
        Assert.Equal(RpcErrorCodes.InvalidRequest, code);
        Assert.Contains("not complete within", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonReadingClient_IsDroppedAfterWriteTimeout()
    {
        var options = new RpcServerOptions { WriteTimeout = TimeSpan.FromMilliseconds(300) };
        await using var h = new ConnectionHarness(options, pipeLimit: 4096);
        await h.Client.HandshakeAsync();
        var burst = new StringBuilder();
        for (int i = 0; i < 200; i++) burst.Append(Status).Append('\n');
        Task sending = h.Client.SendRawAsync(Encoding.UTF8.GetBytes(burst.ToString()));
        await h.Serving.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task NoHandshake_WithinTheHandshakeDeadline_ErrorThenClose_EvenWhileBytesKeepComing()
    {
        await using var h = new ConnectionHarness(new RpcServerOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        using var stop = new CancellationTokenSource();
        Task drip = DripAsync(h.Client, Enumerable.Repeat((byte)'{', 10_000), () => { }, stop.Token);
        (int code, string message) = Errors.Of(await h.Client.ReadAsync("the handshake-deadline refusal"));
        await stop.CancelAsync();
        await drip;
        Assert.Equal(RpcErrorCodes.HandshakeRequired, code);
        Assert.Equal("handshake: not completed within 0.3 s of connecting; closing the connection; call \"handshake\" first (docs/rpc.md)", message);
        await h.Serving.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Contains(h.Log, l => l.Contains("no handshake within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DripAfterHandshake_IsCutAtTheLineDeadline_NotKeptAliveByEachByte()
    {
        await using var h = new ConnectionHarness(new RpcServerOptions { LineTimeout = TimeSpan.FromSeconds(1) });
        await h.Client.HandshakeAsync();
        using var stop = new CancellationTokenSource();
        int sent = 0;
        // A valid request, but it would take 20 ms × its length to arrive: far longer than the line deadline.
        byte[] request = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":{\"name\":\"" + new string('w', 60) + "\"}}");
        Task drip = DripAsync(h.Client, request, () => Interlocked.Increment(ref sent), stop.Token);
        (int code, string message) = Errors.Of(await h.Client.ReadAsync("the line-deadline refusal"));
        await stop.CancelAsync();
        await drip;
        Assert.Equal(RpcErrorCodes.InvalidRequest, code);
        Assert.Contains("the request line was not complete within 1 s of its first byte; closing the connection", message, StringComparison.Ordinal);
        Assert.True(Volatile.Read(ref sent) >= 3, $"only {sent} bytes were dripped");
        await h.Serving.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task LineLargerThanTheSharedBudget_BusyThenClose_BudgetReturned()
    {
        var budget = new ProcessMaster.Protocol.Framing.LineBudget(100_000);
        await using var h = new ConnectionHarness(pipeLimit: 8 * 1024 * 1024, budget: budget);
        await h.Client.HandshakeAsync();
        await h.Client.SendRawAsync(Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 300_000)));
        (int code, string message) = Errors.Of(await h.Client.ReadAsync("the over-budget refusal"));
        Assert.Equal(RpcErrorCodes.Busy, code);
        Assert.Equal("request refused: the daemon is buffering too many large requests (100000 bytes across all connections); closing the connection; try again shortly", message);
        await h.Serving.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task NotCoBuilt_ClientFields_AreTruncatedInTheReplyAndTheLog()
    {
        await using var h = new ConnectionHarness(caller: new RpcCaller("unix", 77, 1000, 1000));
        string host = "\u001b]0;pwned\u0007" + new string('h', 500);
        JsonElement reply = await h.Client.CallLineAsync(DaemonSocket.HandshakeLine(host, "t"));
        Assert.Equal(RpcErrorCodes.NotCoBuilt, Errors.Of(reply).Code);
        string client = reply.GetProperty("error").GetProperty("data").GetProperty("client").GetProperty("build_host").GetString()!;
        Assert.Equal(JsonRpcConnection.MaxClientFieldChars + 1, client.Length);
        Assert.EndsWith("…", client, StringComparison.Ordinal);
        string logged = Assert.Single(h.Log, l => l.Contains("not co-built", StringComparison.Ordinal));
        Assert.StartsWith("rpc client uid=1000 pid=77 (test): refused: not co-built (client built on ", logged, StringComparison.Ordinal);
        Assert.True(logged.Length < 300, logged);
    }

    [Fact]
    public async Task Flag_MoreThan100_RefusedBeforeAnyOtherWork_SupervisorNotCalled()
    {
        await using var h = new ConnectionHarness();
        await h.Client.HandshakeAsync();
        string flags = string.Join(',', Enumerable.Repeat("\"a\"", 101));
        (int code, string message) = Errors.Of(await h.Client.CallLineAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"flag\",\"params\":{\"name\":\"web\",\"flags\":[" + flags + "]}}"));
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Equal("flag: invalid params: field \"flags\": too many flags in one request (101; at most 100); send fewer", message);
        Assert.DoesNotContain(h.Supervisor.Calls, c => c.StartsWith("flag", StringComparison.Ordinal));
    }

    /// <summary>Sends <paramref name="bytes"/> one every 20 ms until they are sent, the test stops it, or the server closes.</summary>
    private static Task DripAsync(DaemonSocket client, IEnumerable<byte> bytes, Action sent, CancellationToken stop) => Task.Run(async () =>
    {
        try
        {
            foreach (byte b in bytes)
            {
                await client.SendRawAsync([b]);
                sent();
                await Task.Delay(20, stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Stopped by the test, or cut by the server.
        }
    }, CancellationToken.None);
}
