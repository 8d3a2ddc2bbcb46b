using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Rpc;

/// <summary>
/// A service name that is a path never reaches a cgroup or a file (audit #5, #23): every method that takes a name
/// refuses one outside the grammar over the raw socket, before any work, and nothing appears outside the master cgroup.
/// </summary>
public sealed class ServiceNameGrammarTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public async ValueTask InitializeAsync()
    {
        _daemon.WriteService("web", $"process:\n  working_directory: {_daemon.WorkDir("web")}\n  start_command: [\"/bin/sleep\", \"100000\"]\n");
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "web", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "web RUNNING");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task NamesThatArePaths_RefusedByEveryMethod_NoCgroupOrFileOutsideTheMaster()
    {
        string[] before = Directory.GetDirectories(_daemon.Sandbox.Path, "*", SearchOption.AllDirectories);
        string[] methods = ["status", "events", "logs", "logs_follow", "start", "stop", "restart", "enable", "disable", "flag", "unflag", "perf_metrics"];
        string[] names = ["..", "../..", "../pm", "a/b", "/etc", ".hidden", "pm-web/run", new string('a', 65), "web\u001b", "web\u0007x"];
        await using DaemonSocket client = await DaemonSocket.ConnectAsync(_daemon.SocketPath);

        foreach (string method in methods)
        {
            foreach (string name in names)
            {
                string parameters = method is "flag" or "unflag"
                    ? $"{{\"name\":{JsonSerializer.Serialize(name)},\"flags\":[\"x\"]}}"
                    : $"{{\"name\":{JsonSerializer.Serialize(name)}}}";
                JsonElement reply = await client.CallAsync(method, parameters);

                Assert.True(reply.TryGetProperty("error", out JsonElement error), $"{method} {parameters}: {reply}");
                Assert.Equal(-32602, error.GetProperty("code").GetInt32());
                Assert.Contains("is not a service name", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(before, Directory.GetDirectories(_daemon.Sandbox.Path, "*", SearchOption.AllDirectories));
        Assert.Equal("RUNNING", (await ServiceStatus.ReadAsync(_daemon, "web")).Phase);
        Assert.DoesNotContain('\u001b', _daemon.Log);
    }
}
