using System.Net;
using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Web;

/// <summary>CSRF over real HTTP: a state-changing request without a valid token is refused (403) and changes nothing.</summary>
public sealed class ConsoleCsrfTests : IAsyncLifetime
{
    private const string Stop = """{"jsonrpc":"2.0","id":1,"method":"stop","params":{"name":"sleeper"}}""";
    private readonly DaemonInstance _daemon = DaemonInstance.Create(ConsoleSetup.Yaml());
    private Uri _address = null!;

    public async ValueTask InitializeAsync()
    {
        _daemon.WriteService("sleeper", $"""
            process:
              working_directory: {_daemon.WorkDir("sleeper")}
              start_command: ["/bin/sleep", "100000"]
            """);
        await _daemon.StartAsync();
        _address = await ConsoleSetup.AddressAsync(_daemon);
        await ServiceStatus.WaitAsync(_daemon, "sleeper", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "sleeper RUNNING");
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    public static TheoryData<string, string?, bool> Refused => new()
    {
        { "no token header", null, true },
        { "no cookie", "", false },
        { "a different token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true },
        { "an empty token", " ", true },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task StopWithoutAValidToken_Gets403_AndTheServiceStillRuns(string why, string? token, bool withCookie)
    {
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);
        ServiceStatus before = await ServiceStatus.ReadAsync(_daemon, "sleeper");
        using HttpClient http = withCookie ? client.Http : ConsoleSetup.Client(_address);
        using var request = new HttpRequestMessage(HttpMethod.Post, "rpc") { Content = new StringContent(Stop, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = ConsoleSetup.Basic();
        if (token is not null) request.Headers.TryAddWithoutValidation("X-CSRF-Token", token.Length == 0 ? client.Token : token);
        using HttpResponseMessage response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{why}: HTTP {(int)response.StatusCode}");
        Assert.Equal("csrf check failed", (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Trim());
        await _daemon.WaitForLogAsync("csrf refused: user=ops via http from 127.0.0.1: POST /processmaster/rpc", TimeSpan.FromSeconds(10));
        ServiceStatus after = await ServiceStatus.ReadAsync(_daemon, "sleeper");
        Assert.Equal("RUNNING", after.Phase);
        Assert.Equal(before.Pids, after.Pids);
        Assert.DoesNotContain("stop requested", _daemon.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "http://evil.example")]
    public async Task StopFromAnotherSite_Gets403_EvenWithTheToken(string header, string value)
    {
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);
        using var request = new HttpRequestMessage(HttpMethod.Post, "rpc") { Content = new StringContent(Stop, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = ConsoleSetup.Basic();
        request.Headers.Add("X-CSRF-Token", client.Token);
        request.Headers.Add(header, value);
        using HttpResponseMessage response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("RUNNING", (await ServiceStatus.ReadAsync(_daemon, "sleeper")).Phase);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task StopAsAFormPost_Gets415_AndTheServiceStillRuns(string contentType)
    {
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);
        using HttpResponseMessage response = await client.PostAsync(Stop, contentType: contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("RUNNING", (await ServiceStatus.ReadAsync(_daemon, "sleeper")).Phase);
    }

    [Fact]
    public async Task StopWithTheToken_Stops_AndIsJournaledWithTheWebUser()
    {
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);
        Assert.Equal(43, client.Token.Length);
        JsonElement reply = await client.CallAsync("stop", """{"name":"sleeper"}""");
        Assert.Equal("sleeper: stopped (STOPPED)", reply.GetProperty("result").GetProperty("message").GetString());
        Assert.Equal("STOPPED", (await ServiceStatus.ReadAsync(_daemon, "sleeper")).Phase);
        await _daemon.WaitForLogAsync("[web] user=ops via http from 127.0.0.1: stop sleeper", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ReadOnlyCalls_AreNotJournaled_AndAnswerNoStore()
    {
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);
        using HttpResponseMessage response = await client.PostAsync("""{"jsonrpc":"2.0","id":7,"method":"status","params":{}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "API answers must not be stored");
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.DoesNotContain("user=ops via http from 127.0.0.1: status", _daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCsrfCookie_IsHttpOnlyStrictAndScopedToTheConsole()
    {
        using HttpClient http = ConsoleSetup.Client(_address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "status");
        request.Headers.Authorization = ConsoleSetup.Basic();
        using HttpResponseMessage page = await http.SendAsync(request, TestContext.Current.CancellationToken);
        string cookie = page.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("pm_csrf=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/processmaster/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        string token = cookie["pm_csrf=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
        Assert.Contains($"<meta name=\"csrf-token\" content=\"{token}\">", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
