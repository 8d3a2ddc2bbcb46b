using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Web;

/// <summary>
/// When the console serves and when it refuses: default or well-known credentials and cleartext off loopback, a taken
/// port, bad TLS material — each an event and a line in <c>pmctl status</c>, with the supervisor still running — and
/// TLS with generated certificates.
/// </summary>
public sealed class ConsoleStartupTests
{
    [Fact]
    public async Task DefaultCredentialsOffLoopback_ConsoleRefused_DaemonKeepsSupervising()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml(bind: "0.0.0.0", omitAuth: true));
        Sleeper(daemon);
        await daemon.StartAsync();
        string line = await daemon.WaitForLogAsync("web console: not serving:", TimeSpan.FromSeconds(60));
        Assert.Contains("the default admin/admin credentials on non-loopback 0.0.0.0:0", line, StringComparison.Ordinal);
        Assert.Contains("pmctl password generate", line, StringComparison.Ordinal);
        Assert.DoesNotContain("web console: listening", daemon.Log, StringComparison.Ordinal);
        await AssertStillSupervisingAsync(daemon, "not serving: the default admin/admin credentials");
    }

    [Fact]
    public async Task DefaultCredentialsOnLoopback_ServeWithAWarning()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml(omitAuth: true));
        await daemon.StartAsync();
        Uri address = await ConsoleSetup.AddressAsync(daemon);
        Assert.Contains("WARNING: the default admin/admin credentials are in use (loopback only)", daemon.Log, StringComparison.Ordinal);
        using HttpClient http = ConsoleSetup.Client(address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "status");
        request.Headers.Authorization = ConsoleSetup.Basic("admin", "admin");
        using HttpResponseMessage page = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task AWellKnownPasswordOffLoopback_ConsoleRefused()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml(bind: "0.0.0.0",
            users: [ConsoleSetup.Entry("root", "password")], extra: "allow_plaintext_remote: true"));
        await daemon.StartAsync();
        string line = await daemon.WaitForLogAsync("web console: not serving:", TimeSpan.FromSeconds(60));
        Assert.Contains("a well-known password for user \"root\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleartextOffLoopback_Refused_UnlessAllowed()
    {
        await using (DaemonInstance refused = DaemonInstance.Create(ConsoleSetup.Yaml(bind: "0.0.0.0")))
        {
            await refused.StartAsync();
            string line = await refused.WaitForLogAsync("web console: not serving:", TimeSpan.FromSeconds(60));
            Assert.Contains("refusing to serve basic auth in cleartext on 0.0.0.0:0", line, StringComparison.Ordinal);
            Assert.Contains("enable web_console.tls, bind to 127.0.0.1, or set web_console.allow_plaintext_remote: true", line, StringComparison.Ordinal);
            await AssertStillSupervisingAsync(refused, "not serving: refusing to serve basic auth in cleartext");
        }

        await using DaemonInstance allowed = DaemonInstance.Create(ConsoleSetup.Yaml(bind: "0.0.0.0", extra: "allow_plaintext_remote: true"));
        await allowed.StartAsync();
        Uri address = await ConsoleSetup.AddressAsync(allowed);
        Assert.Contains("WARNING: serving basic auth in cleartext", allowed.Log, StringComparison.Ordinal);
        using ConsoleClient client = await ConsoleClient.LogInAsync(new Uri($"http://127.0.0.1:{address.Port}/processmaster/"));
    }

    [Fact]
    public async Task APortInUse_IsAnEventAndAStatusLine_TheSupervisorRuns()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml().Replace("port: 0", $"port: {port}", StringComparison.Ordinal));
        Sleeper(daemon);
        await daemon.StartAsync();
        string line = await daemon.WaitForLogAsync("web console: not serving:", TimeSpan.FromSeconds(60));
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("free the port or set web_console.port", line, StringComparison.Ordinal);
        await AssertStillSupervisingAsync(daemon, $"not serving: cannot listen on 127.0.0.1:{port}");
    }

    [Fact]
    public async Task BadPem_IsAnEventAndAStatusLine_TheSupervisorRuns()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml(extra: "tls:\n  enabled: true\n  server_cert_pem: tls/cert.pem\n  server_key_pem: tls/key.pem"));
        Directory.CreateDirectory(Path.Combine(daemon.Root, "tls"));
        await File.WriteAllTextAsync(Path.Combine(daemon.Root, "tls", "cert.pem"), "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(daemon.Root, "tls", "key.pem"), "garbage\n", TestContext.Current.CancellationToken);
        Sleeper(daemon);
        await daemon.StartAsync();
        string line = await daemon.WaitForLogAsync("web console: not serving:", TimeSpan.FromSeconds(60));
        Assert.Contains("TLS: cannot load", line, StringComparison.Ordinal);
        await AssertStillSupervisingAsync(daemon, "not serving: TLS: cannot load");
    }

    [Fact]
    public async Task Tls_GeneratesACertificateWithTheConfiguredSan_AndServesHttpsOnly()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml(extra:
            "tls:\n  enabled: true\n  server_cert_pem: tls/server.pem\n  server_key_pem: tls/server-key.pem\n  ca_pem: tls/ca.pem\n  client_host: console.example.test"));
        await daemon.StartAsync();
        Uri address = await ConsoleSetup.AddressAsync(daemon);
        Assert.Equal("https", address.Scheme);
        string dir = Path.Combine(daemon.Root, "tls");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "server-key.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "ca-key.pem")));

        X509Certificate2? served = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                served = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.RawData);
                return true;
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "status");
        request.Headers.Authorization = ConsoleSetup.Basic();
        using HttpResponseMessage page = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("secure", page.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        using X509Certificate2 certificate = served ?? throw new InvalidOperationException("no certificate was presented");
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("console.example.test", san.EnumerateDnsNames());
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.True(certificate.NotAfter - certificate.NotBefore <= TimeSpan.FromDays(398), $"valid for {certificate.NotAfter - certificate.NotBefore}");
        using X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir, "ca.pem"));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(certificate), "the served certificate does not chain to the generated ca.pem");

        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{address.Port}/processmaster/"), Timeout = TimeSpan.FromSeconds(30) };
        HttpResponseMessage? answer = null;
        try
        {
            answer = await plain.GetAsync("status", TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException)
        {
            // Expected: no plain HTTP on the TLS port.
        }
        Assert.True(answer is null || answer.StatusCode != HttpStatusCode.OK, "plain HTTP got a page from the TLS port");
        answer?.Dispose();
    }

    [Fact]
    public async Task Tls_WithOnlySomeFiles_IsRefusedNamingTheMissingOnes()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml(extra:
            "tls:\n  enabled: true\n  server_cert_pem: tls/server.pem\n  server_key_pem: tls/server-key.pem\n  ca_pem: tls/ca.pem"));
        Directory.CreateDirectory(Path.Combine(daemon.Root, "tls"));
        await File.WriteAllTextAsync(Path.Combine(daemon.Root, "tls", "server.pem"), "x", TestContext.Current.CancellationToken);
        await daemon.StartAsync();
        string line = await daemon.WaitForLogAsync("web console: not serving:", TimeSpan.FromSeconds(60));
        Assert.Contains("TLS material incomplete: missing ca_pem", line, StringComparison.Ordinal);
        Assert.Contains("server_key_pem", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(daemon.Root, "tls", "server-key.pem")), "a key was generated next to a foreign certificate");
    }

    private static void Sleeper(DaemonInstance daemon) => daemon.WriteService("sleeper", $"""
        process:
          working_directory: {daemon.WorkDir("sleeper")}
          start_command: ["/bin/sleep", "100000"]
        """);

    /// <summary>The daemon still answers, shows the console's problem in <c>pmctl status</c>, and still supervises.</summary>
    private static async Task AssertStillSupervisingAsync(DaemonInstance daemon, string notice)
    {
        Assert.NotNull(daemon.Pid);
        CommandResult status = await daemon.PmctlAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"! web console: {notice}", status.Stdout, StringComparison.Ordinal);
        if (Directory.Exists(Path.Combine(daemon.ConfigDirectory)) && File.Exists(Path.Combine(daemon.ConfigDirectory, "sleeper.yaml")))
            await ServiceStatus.WaitAsync(daemon, "sleeper", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(30), "sleeper supervised while the console is refused");
    }
}
