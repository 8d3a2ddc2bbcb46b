using System.Text;
using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>The daemon's socket against bad and many clients: it stays up and keeps answering.</summary>
public sealed class RpcRobustnessTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public async ValueTask InitializeAsync()
    {
        _daemon.WriteService("web", $$"""
            process:
              working_directory: {{_daemon.WorkDir("web")}}
              start_command: ["/bin/sh", "-c", "while :; do echo tick; sleep 0.2; done"]
            """);
        await _daemon.StartAsync();
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task TenThousandMalformedFrames_EachGetsAnErrorOrACleanClose_AndStatusStillAnswers()
    {
        var random = new Random(20261127);
        string[] shapes =
        [
            "{", "}", "[]", "null", "42", "\"text\"", "{\"jsonrpc\":\"2.0\"}", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"status\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"status\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":[1,2]}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\",\"params\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"start\",\"params\":{\"name\":5}}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stop\",\"params\":{\"name\":\"../x\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":{\"name\":\"web\"", "\u0000\u0001\u0002", "{\"a\":" + new string('[', 500),
        ];
        DaemonSocket client = await DaemonSocket.ConnectAsync(_daemon.SocketPath);
        int replies = 0, closes = 0;
        try
        {
            for (int i = 0; i < 10_000; i++)
            {
                byte[] frame = (i % 10) switch
                {
                    0 => RandomBytes(random, random.Next(1, 200)),
                    1 => Truncated(shapes[random.Next(shapes.Length)], random),
                    _ => Encoding.UTF8.GetBytes(shapes[random.Next(shapes.Length)]),
                };
                await client.SendRawAsync([.. frame.Where(b => b != (byte)'\n'), (byte)'\n']);
                string? reply = await client.ReadLineAsync();
                if (reply is null)
                {
                    closes++;
                    await client.DisposeAsync();
                    client = await DaemonSocket.ConnectAsync(_daemon.SocketPath);
                    continue;
                }
                using JsonDocument doc = JsonDocument.Parse(reply);
                Assert.True(doc.RootElement.TryGetProperty("error", out JsonElement error), $"frame {i} got no error: {reply}");
                Assert.True(error.GetProperty("code").GetInt32() < 0, reply);
                replies++;
            }
        }
        finally
        {
            await client.DisposeAsync();
        }
        Assert.Equal(10_000, replies + closes);
        CommandResult status = await _daemon.PmctlAsync("status", "web");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.NotNull(_daemon.Pid);
    }

    [Fact]
    public async Task HugeLine_IsRefused_AndTheDaemonStaysUp()
    {
        await using DaemonSocket client = await DaemonSocket.ConnectAsync(_daemon.SocketPath);
        await client.SendRawAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":{\"name\":\"" + new string('a', 2 << 20) + "\"}}\n"));
        string? reply = await client.ReadLineAsync();
        Assert.True(reply is null || reply.Contains("\"error\"", StringComparison.Ordinal), reply);
        Assert.Equal(0, (await _daemon.PmctlAsync("status")).ExitCode);
    }

    [Fact]
    public async Task FiftyStatusClients_WhileHundredFollowersAreOpen_EveryCallAnswers()
    {
        var followers = new List<DaemonSocket>();
        try
        {
            for (int i = 0; i < 100; i++)
            {
                DaemonSocket follower = await DaemonSocket.ConnectAsync(_daemon.SocketPath);
                followers.Add(follower);
                JsonElement accepted = await follower.CallAsync("logs_follow", "{\"name\":\"web\",\"n\":0}");
                Assert.True(accepted.TryGetProperty("result", out _), $"follower {i}: {accepted}");
            }
            Task<JsonElement>[] calls = [.. Enumerable.Range(0, 50).Select(async _ =>
            {
                await using DaemonSocket client = await DaemonSocket.ConnectAsync(_daemon.SocketPath);
                return await client.CallAsync("status", "{}");
            })];
            JsonElement[] answers = await Task.WhenAll(calls);
            Assert.All(answers, a => Assert.Equal("web", a.GetProperty("result").GetProperty("statuses")[0].GetProperty("application").GetString()));
            // The followers are live: each one receives new lines.
            string? line = await followers[^1].ReadLineAsync(TimeSpan.FromSeconds(10));
            Assert.Contains("tick", line, StringComparison.Ordinal);
        }
        finally
        {
            foreach (DaemonSocket follower in followers) await follower.DisposeAsync();
        }
    }

    [Fact]
    public async Task PmctlFromAnotherBuild_IsRefusedWithTheCoBuiltMessage()
    {
        string other = await OtherBuild.PmctlAsync();
        CommandResult result = await _daemon.PmctlWithAsync(other, "status");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("pmctl is not co-built with this daemon", result.Stderr, StringComparison.Ordinal);
    }

    private static byte[] Truncated(string shape, Random random) => Encoding.UTF8.GetBytes(shape[..random.Next(1, shape.Length + 1)]);

    private static byte[] RandomBytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
