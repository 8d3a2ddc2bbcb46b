using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Web;

/// <summary>
/// Names and paths in every console parameter: traversal is refused by the name grammar, files are only ever a
/// service's own, and a symlink a service plants in its log directory is not followed (no secret leaves the daemon).
/// </summary>
public sealed class ConsolePathTests(LeakyService fixture) : IClassFixture<LeakyService>
{
    private const string Canary = LeakyService.Canary;
    private readonly DaemonInstance _daemon = fixture.Daemon;
    private readonly Uri _address = fixture.Address;
    private readonly string _secret = fixture.Secret;
    private readonly string _work = fixture.Work;

    public static TheoryData<string, string> TraversalCalls => new()
    {
        { "logs", """{"name":"../../etc/passwd"}""" },
        { "logs", """{"name":"/etc/shadow"}""" },
        { "logs", """{"name":"leaky/../x"}""" },
        { "status", """{"name":"../leaky"}""" },
        { "stop", """{"name":".."}""" },
        { "flag", """{"name":"leaky/..","flags":["x"]}""" },
        { "perf_metrics", """{"name":"../../system.slice"}""" },
        { "enable", """{"name":"../config"}""" },
        { "admin_run", """{"id":"../../bin/sh"}""" },
        { "events", """{"name":"../x"}""" },
    };

    [Theory]
    [MemberData(nameof(TraversalCalls))]
    public async Task ANameThatIsAPath_IsRefused_WithNoFileContent(string method, string @params)
    {
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);
        JsonElement reply = await client.CallAsync(method, @params);
        Assert.True(reply.TryGetProperty("error", out JsonElement error), $"{method} {@params} was not refused: {reply}");
        string text = reply.GetRawText();
        Assert.DoesNotContain("root:", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, text, StringComparison.Ordinal);
        Assert.True(error.GetProperty("message").GetString()!.Length > 0);
    }

    public static TheoryData<string> TraversalStreams => new()
    {
        "stream/logs?name=..%2F..%2Fetc",
        "stream/logs?name=leaky&file=..%2F..%2Fsecret.txt",
        "stream/logs?name=leaky&file=%2Fetc%2Fpasswd",
        "stream/logs?name=leaky&file=..",
        "stream/resources?name=..%2F..%2Fsystem.slice",
        "stream/resources?name=",
    };

    [Theory]
    [MemberData(nameof(TraversalStreams))]
    public async Task AStreamNamingAPath_EndsWithAnError_AndNoFileContent(string path)
    {
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);
        string text = await client.ReadStreamAsync(path, t => t.Contains("event: error", StringComparison.Ordinal) && t.EndsWith("\n\n", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains("event: error", text, StringComparison.Ordinal);
        Assert.DoesNotContain("event: backlog", text, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASymlinkedHintAndStdout_AreNotFollowed()
    {
        // The service swaps its own stdout.log for a link to a file it must not read.
        string stdout = Path.Combine(_work, "logs", "stdout.log");
        File.Move(stdout, stdout + ".moved");
        File.CreateSymbolicLink(stdout, _secret);
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);

        JsonElement logs = await client.CallAsync("logs", """{"name":"leaky","n":100}""");
        Assert.DoesNotContain(Canary, logs.GetRawText(), StringComparison.Ordinal);
        string follow = await client.ReadStreamAsync("stream/logs?name=leaky&n=100",
            t => t.Contains("event: backlog", StringComparison.Ordinal) || t.Contains("event: error", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(Canary, follow, StringComparison.Ordinal);
        string hint = await client.ReadStreamAsync("stream/logs?name=leaky&file=hint.log",
            t => t.Contains("event: backlog", StringComparison.Ordinal) || t.Contains("event: error", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(Canary, hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaticFiles_AreOnlyTheEmbeddedOnes()
    {
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);
        foreach (string path in new[] { "static/%2e%2e/%2e%2e/etc/passwd", "static/..%2F..%2Fetc%2Fpasswd", "static/status.html", "static/js/../../../secret.txt" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = ConsoleSetup.Basic();
            using HttpResponseMessage response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.NotFound, $"{path}: HTTP {(int)response.StatusCode}");
            string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
            Assert.DoesNotContain(Canary, body, StringComparison.Ordinal);
        }
    }
}

/// <summary>One daemon for the path tests (they only read): service <c>leaky</c>, whose hint is a symlink to a secret.</summary>
public sealed class LeakyService : IAsyncLifetime
{
    public const string Canary = "CANARY-secret-content-4b1e";

    public DaemonInstance Daemon { get; } = DaemonInstance.Create(ConsoleSetup.Yaml());

    public Uri Address { get; private set; } = null!;

    public string Secret => Path.Combine(Daemon.Root, "secret.txt");

    public string Work => Path.Combine(Daemon.Root, "work", "leaky");

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(Secret, Canary + "\n");
        Daemon.WorkDir("leaky");
        File.CreateSymbolicLink(Path.Combine(Work, "hint.log"), Secret);
        Daemon.WriteService("leaky", $"""
            process:
              working_directory: {Work}
              start_command: ["/bin/sh", "-c", "echo hello; exec sleep 100000"]
            logs:
              hints: ["hint.log"]
            """);
        await Daemon.StartAsync();
        Address = await ConsoleSetup.AddressAsync(Daemon);
        string stdout = Path.Combine(Work, "logs", "stdout.log");
        await DaemonInstance.WaitUntilAsync(() => File.Exists(stdout) && File.ReadAllText(stdout).Contains("hello", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "leaky's first line");
    }

    public ValueTask DisposeAsync() => Daemon.DisposeAsync();
}
