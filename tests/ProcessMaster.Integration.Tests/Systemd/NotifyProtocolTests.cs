using System.Net;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Systemd;

/// <summary>
/// The daemon as systemd's <c>Type=notify</c> unit runs it, against a notification socket the test owns:
/// <c>READY=1</c> only once the RPC socket (and an enabled console) answer, <c>STATUS=</c> lines, <c>STOPPING=1</c> on
/// SIGTERM, <c>WATCHDOG=1</c> keep-alives under <c>WATCHDOG_USEC</c>, and none of these variables in a service's
/// environment, even one that inherits the daemon's.
/// </summary>
public sealed class NotifyProtocolTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ready_OnlyWhenTheSocketAnswers_StoppingOnTerm_AndServicesDoNotInheritTheVariables()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        using var notify = new NotifyListener(Path.Combine(daemon.Root, "notify.sock"));
        string work = daemon.WorkDir("envdump");
        daemon.WriteService("envdump", $$"""
            process:
              working_directory: {{work}}
              inherit_environment: true
              start_command: ["/bin/sh", "-c", "env > {{work}}/env.txt; exec sleep 600"]
            """);
        daemon.Environment["NOTIFY_SOCKET"] = notify.Path;
        daemon.Environment["WATCHDOG_USEC"] = "600000000";
        daemon.Environment["JOURNAL_STREAM"] = "1:1";
        daemon.Environment["PM_TEST_MARKER"] = "inherited";

        Task<string> ready = notify.WaitForAsync("READY=1", Wait);
        await daemon.StartAsync();
        string message = await ready;
        // At READY=1 the socket answers.
        CommandResult status = await daemon.PmctlAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"STATUS=serving on {daemon.SocketPath}; 1 definitions, 0 problems", message, StringComparison.Ordinal);
        Assert.Contains("[systemd] notifying the service manager at " + notify.Path, daemon.Log, StringComparison.Ordinal);

        string envFile = Path.Combine(work, "env.txt");
        await DaemonInstance.WaitUntilAsync(() => File.Exists(envFile) && File.ReadAllText(envFile).Contains("PM_TEST_MARKER", StringComparison.Ordinal), Wait, "the service's env dump");
        string env = File.ReadAllText(envFile);
        Assert.Contains("PM_TEST_MARKER=inherited", env, StringComparison.Ordinal);
        foreach (string variable in new[] { "NOTIFY_SOCKET", "WATCHDOG_USEC", "JOURNAL_STREAM" })
            Assert.DoesNotContain(variable + "=", env, StringComparison.Ordinal);

        Task<string> stopping = notify.WaitForAsync("STOPPING=1", Wait);
        Assert.Equal(0, await daemon.StopAsync());
        string stop = await stopping;
        Assert.Contains("STATUS=saving state; services keep running", stop, StringComparison.Ordinal);
        Assert.True(notify.Received.ToList().IndexOf(message) < notify.Received.ToList().IndexOf(stop), "READY=1 came before STOPPING=1");
    }

    [Fact]
    public async Task WithTheConsole_ReadyWaitsUntilItServes()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml());
        using var notify = new NotifyListener(Path.Combine(daemon.Root, "notify.sock"));
        daemon.Environment["NOTIFY_SOCKET"] = notify.Path;
        Task<string> ready = notify.WaitForAsync("READY=1", Wait);
        await daemon.StartAsync();
        string message = await ready;
        int at = message.IndexOf("web console http://", StringComparison.Ordinal);
        Assert.True(at >= 0, message);
        var address = new Uri(message[(at + "web console ".Length)..].Split(';', '\n')[0]);
        using var http = new HttpClient { Timeout = Wait };
        using HttpResponseMessage answer = await http.GetAsync(new Uri(address, "/processmaster/status"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode); // it serves (and asks for credentials)
    }

    [Fact]
    public async Task Watchdog_KeepAlivesAtHalfTheInterval()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        using var notify = new NotifyListener(Path.Combine(daemon.Root, "notify.sock"));
        daemon.Environment["NOTIFY_SOCKET"] = notify.Path;
        daemon.Environment["WATCHDOG_USEC"] = "400000";
        await daemon.StartAsync();
        await notify.WaitForAsync("READY=1", Wait);
        await notify.WaitForCountAsync("WATCHDOG=1", 3, Wait);
        Assert.Contains("watchdog keep-alive every 200 ms (WATCHDOG_USEC=400000)", daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchdogForAnotherPid_OrBadValues_AreIgnoredWithAWarning()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        using var notify = new NotifyListener(Path.Combine(daemon.Root, "notify.sock"));
        daemon.Environment["NOTIFY_SOCKET"] = notify.Path;
        daemon.Environment["WATCHDOG_USEC"] = "1000";
        daemon.Environment["WATCHDOG_PID"] = "1";
        await daemon.StartAsync();
        await notify.WaitForAsync("READY=1", Wait);
        Assert.Contains("[systemd] WATCHDOG_PID=1 is not this process", daemon.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("watchdog keep-alive every", daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARelativeNotifySocket_IsReported_AndTheDaemonRuns()
    {
        await using DaemonInstance daemon = DaemonInstance.Create();
        daemon.Environment["NOTIFY_SOCKET"] = "relative.sock";
        await daemon.StartAsync();
        Assert.Contains("[systemd] NOTIFY_SOCKET: \"relative.sock\" is neither an absolute path nor an abstract name (@...); no readiness notifications are sent",
            daemon.Log, StringComparison.Ordinal);
        Assert.Equal(0, (await daemon.PmctlAsync("status")).ExitCode);
    }
}
