using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Web;

/// <summary>Authentication over real HTTP: 401 and nothing else without valid credentials; the bcrypt cache never bypasses a check.</summary>
public sealed class ConsoleAuthTests(ConsoleAuthTests.Console fixture) : IClassFixture<ConsoleAuthTests.Console>
{
    private readonly DaemonInstance _daemon = fixture.Daemon;
    private readonly Uri _address = fixture.Address;

    /// <summary>One daemon with the console for the read-only checks.</summary>
    public sealed class Console : IAsyncLifetime
    {
        public DaemonInstance Daemon { get; } = DaemonInstance.Create(ConsoleSetup.Yaml());

        public Uri Address { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            await Daemon.StartAsync();
            Address = await ConsoleSetup.AddressAsync(Daemon);
        }

        public ValueTask DisposeAsync() => Daemon.DisposeAsync();
    }

    public static TheoryData<string?, string> BadHeaders => new()
    {
        { null, "missing Authorization header" },
        { "Basic " + B64("ops:wrong"), "invalid credentials" },
        { "Basic " + B64("nobody:s3cret!:x"), "invalid credentials" },
        { "Bearer abc", "expected Basic authorization" },
        { "Basic !!!", "invalid base64 in Authorization" },
        { "Basic " + B64("nocolon"), "invalid basic auth payload" },
        { "Basic " + Convert.ToBase64String([0x6f, 0x70, 0xff, 0x3a, 0x78]), "invalid utf8 in Authorization" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public async Task BadCredentials_Get401WithTheChallengeAndNothingElse(string? header, string body)
    {
        using HttpClient http = ConsoleSetup.Client(_address);
        foreach (string path in new[] { "status", "static/js/main.js", "stream/status", "nope" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (header is not null) request.Headers.TryAddWithoutValidation("Authorization", header);
            using HttpResponseMessage response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic realm=\"processmaster\", charset=\"UTF-8\"", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal(body, (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Trim());
            Assert.False(response.Headers.Contains("Set-Cookie"), $"{path}: an unauthenticated request got a cookie");
        }
    }

    [Fact]
    public async Task UnauthenticatedPost_Gets401_AndNothingRuns()
    {
        using HttpClient http = ConsoleSetup.Client(_address);
        using var request = new HttpRequestMessage(HttpMethod.Post, "rpc")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"shutdown","params":{}}""", Encoding.UTF8, "application/json"),
        };
        using HttpResponseMessage response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (await _daemon.PmctlAsync("status")).ExitCode);
        Assert.DoesNotContain("shutdown requested", _daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordWithAColon_LogsIn_AndACachedLoginDoesNotAcceptAnotherPassword()
    {
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "status");
        wrong.Headers.Authorization = ConsoleSetup.Basic(password: "s3cret!:y");
        using HttpResponseMessage response = await client.Http.SendAsync(wrong, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task FailedLogins_AreJournaledWithoutEchoingUnknownNames_AndRateLimited()
    {
        // Its own daemon: the other tests of this class fail logins from the same address.
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml());
        await daemon.StartAsync();
        using HttpClient http = ConsoleSetup.Client(await ConsoleSetup.AddressAsync(daemon));
        for (int i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "status");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", B64(i == 0 ? "intruder\nFAKE:x" : "ops:wrong"));
            using HttpResponseMessage response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        await daemon.WaitForLogAsync("auth_failure ip=127.0.0.1 user=- reason=invalid credentials", TimeSpan.FromSeconds(10));
        await daemon.WaitForLogAsync("auth_failure ip=127.0.0.1 user=ops reason=invalid credentials", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("intruder", daemon.Log, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(daemon.Log, "auth_failure ip=127.0.0.1"));
    }

    [Fact]
    public async Task WrongMethodOnRpc_Gets405_AndAnUnknownPathGets404()
    {
        using ConsoleClient client = await ConsoleClient.LogInAsync(_address);
        using var get = new HttpRequestMessage(HttpMethod.Get, "rpc");
        get.Headers.Authorization = ConsoleSetup.Basic();
        using HttpResponseMessage response = await client.Http.SendAsync(get, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        using var missing = new HttpRequestMessage(HttpMethod.Get, "static/../../../../etc/passwd");
        missing.Headers.Authorization = ConsoleSetup.Basic();
        using HttpResponseMessage notFound = await client.Http.SendAsync(missing, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.DoesNotContain("root:", await notFound.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
