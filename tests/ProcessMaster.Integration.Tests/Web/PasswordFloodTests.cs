using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Web;

/// <summary>
/// A flood of password guesses over HTTP cannot take the daemon from supervision (audit #12): bcrypt runs a few at a
/// time off the supervision loop, surplus guesses wait briefly and get 429, and meanwhile pmctl is answered and a
/// service restarts.
/// </summary>
public sealed class PasswordFloodTests : IAsyncLifetime
{
    private const int Guesses = 48;
    private readonly DaemonInstance _daemon = DaemonInstance.Create(ConsoleSetup.Yaml(users: [ConsoleSetup.Entry(ConsoleSetup.User, ConsoleSetup.Password, cost: 12)]));

    public async ValueTask InitializeAsync()
    {
        _daemon.WriteService("web", $"process:\n  working_directory: {_daemon.WorkDir("web")}\n  start_command: [\"/bin/sleep\", \"100000\"]\n");
        await _daemon.StartAsync();
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task ManyConcurrentWrongPasswords_OnlyRefusals_SupervisionAnswersMeanwhile()
    {
        Uri address = await ConsoleSetup.AddressAsync(_daemon);
        ServiceStatus before = await ServiceStatus.WaitAsync(_daemon, "web", s => s.Phase == "RUNNING" && s.Pids.Count > 0, TimeSpan.FromSeconds(30), "web RUNNING");
        using HttpClient http = ConsoleSetup.Client(address);
        http.Timeout = TimeSpan.FromMinutes(5);

        Task<HttpStatusCode>[] flood = [.. Enumerable.Range(0, Guesses).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "status");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsoleSetup.User}:guess{i}")));
            using HttpResponseMessage response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            return response.StatusCode;
        })];

        // While the guesses are being checked: the socket answers and a restart goes through the supervision loop.
        CommandResult restart = await _daemon.PmctlAsync("restart", "web");
        Assert.True(restart.ExitCode == 0, restart.ToString());
        ServiceStatus after = await ServiceStatus.WaitAsync(_daemon, "web", s => s.Phase == "RUNNING" && s.Pids.Count > 0 && s.Pids[0] != before.Pids[0], TimeSpan.FromSeconds(60), "web RUNNING again");
        Assert.NotEqual(before.Pids, after.Pids);

        HttpStatusCode[] codes = await Task.WhenAll(flood);
        Assert.All(codes, code => Assert.True(code is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"a guess got {code}"));
        Assert.NotNull(_daemon.Pid);
    }
}
