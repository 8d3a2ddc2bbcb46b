using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>
/// What reaches the daemon log and pmctl: every mutating command names its caller (N-20); flags are checked and
/// allow-listed, also on restore (N-07); text from clients is escaped, never a second line (N-11); <c>flag all</c> (X3).
/// </summary>
public sealed class EventHygieneTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create("""
        admin_actions:
          hello:
            label: "Say hello"
            command: ["/bin/sh", "-c", "sleep 30"]
        """);

    public async ValueTask InitializeAsync()
    {
        foreach (string name in new[] { "web", "api" })
        {
            _daemon.WriteService(name, $$"""
                process:
                  working_directory: {{_daemon.WorkDir(name)}}
                  start_command: ["/bin/sleep", "100000"]
                """);
        }
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "web", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(20), "web RUNNING");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task EveryMutatingCommand_NamesItsCallerInTheEvents()
    {
        foreach (string[] command in new[]
                 {
                     new[] { "stop", "web" }, ["start", "web"], ["restart", "web"], ["flag", "web", "maint"], ["unflag", "web", "maint"],
                     ["disable", "api"], ["enable", "api"], ["update"], ["admin-run", "hello"], ["admin-kill"],
                 })
        {
            await Ok(command);
        }
        string events = (await Ok("events", "-n", "2000")).Stdout;
        string[] expected =
        [
            @"\[cmd\] app=web stop requested by uid=0 pid=\d+",
            @"\[cmd\] app=web start requested by uid=0 pid=\d+",
            @"\[cmd\] app=web restart requested by uid=0 pid=\d+",
            @"\[flag\] app=web user flags set maint by uid=0 pid=\d+: now maint",
            @"\[flag\] app=web user flags unset maint by uid=0 pid=\d+: now \(none\)",
            @"\[cmd\] app=api disabled in .*api\.yaml by uid=0 pid=\d+",
            @"\[cmd\] app=api enabled in .*api\.yaml by uid=0 pid=\d+",
            @"\[cmd\] update \(reload the service definitions\) requested by uid=0 pid=\d+",
            @"\[admin_action\] run hello \(Say hello\) requested by uid=0 pid=\d+",
            @"\[admin_action\] kill all requested by uid=0 pid=\d+",
        ];
        foreach (string pattern in expected) Assert.Matches(new Regex(pattern), events);

        await Ok("shutdown");
        await _daemon.WaitForLogAsync("[daemon] shutdown requested by uid=0 pid=", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task FlagAll_AndUnflagAll_ChangeEveryService()
    {
        CommandResult flagged = await Ok("flag", "all", "maint,Canary");
        Assert.Equal("api: flags=canary,maint\nweb: flags=canary,maint\n", flagged.Stdout);
        Assert.Equal(["canary", "maint"], await UserFlags("api"));
        Assert.Equal(["canary", "maint"], await UserFlags("web"));
        Assert.Equal("api: flags=canary\nweb: flags=canary\n", (await Ok("unflag", "all", "maint")).Stdout);
        Assert.Equal(["canary"], await UserFlags("web"));
    }

    [Fact]
    public async Task HostileFlags_AreRefusedOverTheSocket_NothingChanged_NothingReachesTheLog()
    {
        await using DaemonSocket client = await DaemonSocket.ConnectAsync(_daemon.SocketPath);
        JsonElement esc = await client.CallAsync("flag", """{"name":"web","flags":["ok\u001b[31mRED","fine"]}""");
        Assert.Equal(-32602, esc.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("the character U+001B is not allowed", esc.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        JsonElement many = await client.CallAsync("flag", "{\"name\":\"web\",\"flags\":[" + string.Join(',', Enumerable.Range(0, 60_000).Select(i => $"\"f{i}\"")) + "]}");
        Assert.Equal("flag: invalid params: field \"flags\": too many flags in one request (60000; at most 100); send fewer",
            many.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(await UserFlags("web"));
        CommandResult status = await Ok("status");
        Assert.DoesNotContain('\u001b', status.Stdout);
        Assert.DoesNotContain('\u001b', _daemon.Log);
    }

    [Fact]
    public async Task ForgedHandshakeFields_AreEscapedAndTruncated_InStderrAndTheLogFile()
    {
        await using (DaemonSocket client = await DaemonSocket.ConnectAsync(_daemon.SocketPath, handshake: false))
        {
            string forged = "x\u001b]0;pwned\u0007\n2026-12-04 14:30:00.000 [daemon] FORGED shutdown requested by unix pid=1 uid=0" + new string('z', 5000);
            JsonElement reply = await client.CallAsync("handshake",
                $"{{\"build_host\":\"h\",\"build_time\":\"t\",\"client\":{JsonSerializer.Serialize(forged)}}}");
            Assert.Equal(-32001, reply.GetProperty("error").GetProperty("code").GetInt32());
        }
        await _daemon.WaitForLogAsync("refused: not co-built", TimeSpan.FromSeconds(10));
        string line = Assert.Single(_daemon.Log.Split('\n'), l => l.Contains("refused: not co-built", StringComparison.Ordinal));
        Assert.Contains(@"(x\x1b]0;pwned\x07\n2026-12-04 14:30:00.000 [daemon] FORGED shutdown req…): refused", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', _daemon.Log);
        Assert.DoesNotContain(_daemon.Log.Split('\n'), l => l.StartsWith("2026-12-04 14:30:00.000 [daemon] FORGED", StringComparison.Ordinal));
        Assert.DoesNotContain("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", line, StringComparison.Ordinal);
        await _daemon.WaitForLogFileAsync("refused: not co-built", TimeSpan.FromSeconds(10));
        string file = await File.ReadAllTextAsync(_daemon.LogFilePath, TestContext.Current.CancellationToken);
        Assert.Contains(@"x\x1b]0;pwned\x07\n2026", file, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', await File.ReadAllTextAsync(_daemon.LogFilePath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StateFileWithHostileFlags_IsRestoredWithoutThem()
    {
        await Ok("flag", "web", "keep");
        await Ok("shutdown");
        await DaemonInstance.WaitUntilAsync(() => _daemon.Pid is null, TimeSpan.FromSeconds(20), "the daemon to exit");
        JsonNode state = JsonNode.Parse(await File.ReadAllTextAsync(_daemon.StatePath, TestContext.Current.CancellationToken))!;
        JsonObject flags = state["services"]!["web"]!["user_flags"]!.AsObject();
        flags["bad\u001b[31mflag"] = null;
        flags["two\nlines"] = null;
        flags["Upper"] = null;
        await File.WriteAllTextAsync(_daemon.StatePath, state.ToJsonString(), TestContext.Current.CancellationToken);

        await _daemon.StartAsync();
        Assert.Equal(["keep", "upper"], await UserFlags("web"));
    }

    private async Task<IReadOnlyList<string>> UserFlags(string app)
    {
        using JsonDocument json = JsonDocument.Parse((await Ok("status", app, "--format", "json")).Stdout);
        return [.. json.RootElement.GetProperty("statuses")[0].GetProperty("user_flags").EnumerateArray().Select(f => f.GetString()!)];
    }

    private async Task<CommandResult> Ok(params string[] arguments)
    {
        CommandResult result = await _daemon.PmctlAsync(arguments);
        Assert.True(result.ExitCode == 0, $"pmctl {string.Join(' ', arguments)}: {result}\n--- daemon log ---\n{_daemon.Log}");
        return result;
    }
}
