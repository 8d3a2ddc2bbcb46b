using System.Text;
using System.Text.Json;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Rpc.Tests.Support;
using ProcessMaster.Testing;

namespace ProcessMaster.Rpc.Tests.Daemon;

/// <summary>10,000 random and malformed frames: each gets an error reply (or, past the size cap, a clean close), and the server keeps answering.</summary>
public class MalformedFrameTests
{
    private static readonly string[] Methods = ["status", "start", "stop", "flag", "logs", "events", "nope", "", "handshake", "perf_metrics"];

    private static string Frame(Random random)
    {
        switch (random.Next(10))
        {
            case 0: // binary garbage without newlines
                var bytes = new byte[random.Next(1, 300)];
                random.NextBytes(bytes);
                return Encoding.Latin1.GetString(bytes).Replace('\n', ' ').Replace('\r', ' ');
            case 1: // truncated valid request
                string full = $"{{\"jsonrpc\":\"2.0\",\"id\":{random.Next()},\"method\":\"status\",\"params\":{{\"name\":\"web\"}}}}";
                return full[..random.Next(1, full.Length - 1)];
            case 2: // wrong member types
                string[] ids = ["{}", "[]", "true", "1.5", "\"x\"", "null"];
                string[] versions = ["\"2.0\"", "\"1.0\"", "2", "null"];
                return $"{{\"jsonrpc\":{versions[random.Next(versions.Length)]},\"id\":{ids[random.Next(ids.Length)]},\"method\":{(random.Next(2) == 0 ? "7" : "\"status\"")}}}";
            case 3: // params of the wrong shape
                string[] ps = ["[]", "1", "\"s\"", "{\"name\":5}", "{\"name\":\"web\",\"force\":\"x\"}", "{\"n\":\"many\"}", "{\"flags\":{}}", "{\"name\":\"" + new string('a', 300) + "\"}"];
                return $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{Methods[random.Next(Methods.Length)]}\",\"params\":{ps[random.Next(ps.Length)]}}}";
            case 4: // deep nesting
                int depth = random.Next(60, 400);
                return new string('[', depth) + new string(']', depth);
            case 5: // JSON scalars and arrays
                string[] scalars = ["null", "true", "0", "\"\"", "[]", "[{}]", "{}", "1e999"];
                return scalars[random.Next(scalars.Length)];
            case 6: // unknown methods with random names
                return $"{{\"jsonrpc\":\"2.0\",\"id\":{random.Next()},\"method\":\"m{random.Next()}\u00e9\u0000\"}}";
            case 7: // invalid UTF-8 inside a string
                return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"st" + (char)0xD800 + "atus\"}";
            case 8: // duplicate and odd keys
                return "{\"jsonrpc\":\"2.0\",\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\",\"\":1}";
            default: // valid but refused
                return $"{{\"jsonrpc\":\"2.0\",\"id\":{random.Next()},\"method\":\"status\",\"params\":{{\"name\":\"nope{random.Next(1000)}\"}}}}";
        }
    }

    [Fact]
    public async Task TenThousandMalformedFrames_EachAnswered_ServerStillServes()
    {
        var random = new Random(20261127);
        await using var h = new ConnectionHarness(pipeLimit: 64 * 1024 * 1024);
        await h.Client.HandshakeAsync();
        const int count = 10_000;
        const int batch = 250;
        for (int start = 0; start < count; start += batch)
        {
            var text = new StringBuilder();
            for (int i = 0; i < batch; i++) text.Append(Frame(random)).Append('\n');
            await h.Client.SendRawAsync(Encoding.UTF8.GetBytes(text.ToString()));
            for (int i = 0; i < batch; i++)
            {
                JsonElement reply = await h.Client.ReadAsync($"the reply to malformed frame {start + i}");
                Assert.Equal("2.0", reply.GetProperty("jsonrpc").GetString());
                Assert.True(reply.TryGetProperty("error", out JsonElement error) || reply.TryGetProperty("result", out _), reply.ToString());
                if (reply.TryGetProperty("error", out error))
                {
                    Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
                    Assert.NotEqual(RpcErrorCodes.InternalError, error.GetProperty("code").GetInt32());
                }
            }
        }
        Assert.Equal(2, Errors.Result(await h.Client.CallLineAsync("""{"jsonrpc":"2.0","id":1,"method":"status"}""")).GetProperty("statuses").GetArrayLength());
    }

    [Fact]
    public async Task HugeAndBinaryFrames_OnFreshConnections_ErrorThenClose()
    {
        var random = new Random(7);
        for (int i = 0; i < 5; i++)
        {
            await using var h = new ConnectionHarness(pipeLimit: 8 * 1024 * 1024);
            var bytes = new byte[JsonRpcVersion.MaxRequestBytes + 1 + random.Next(100_000)];
            random.NextBytes(bytes);
            for (int j = 0; j < bytes.Length; j++) if (bytes[j] == (byte)'\n') bytes[j] = 0;
            await h.Client.SendRawAsync(bytes);
            Assert.Equal(RpcErrorCodes.InvalidRequest, Errors.Of(await h.Client.ReadAsync("the refusal of a huge binary frame")).Code);
            Assert.Null(await h.Client.ReadLineAsync(awaiting: "the close"));
        }
    }
}
