using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using ProcessMaster.Daemon.Web.Security;
using ProcessMaster.Daemon.Web.Tls;

namespace ProcessMaster.Daemon.Tests.Web;

/// <summary>Generated TLS certificates and the CSRF check, alone.</summary>
public sealed class CertificateAndCsrfTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Generated_HasLoopbackHostBindAndClientHostSans_ButNoWildcard()
    {
        using GeneratedCertificates g = GeneratedCertificates.Create(Now, "Node1", IPAddress.Parse("10.1.2.3"), "console.example.com");
        var san = g.Server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["console.example.com", "localhost", "node1"], san.EnumerateDnsNames().Order(StringComparer.Ordinal));
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("10.1.2.3")], san.EnumerateIPAddresses());
        Assert.Equal("CN=Node1", g.Server.Subject);
        Assert.Equal("CN=processmaster-ca", g.Server.Issuer);
        Assert.True(g.Server.NotAfter - g.Server.NotBefore <= TimeSpan.FromDays(398));
        Assert.True(g.Server.HasPrivateKey);

        using GeneratedCertificates wildcard = GeneratedCertificates.Create(Now, "node1", IPAddress.Any, "192.168.0.9");
        var ips = wildcard.Server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().ToList();
        Assert.DoesNotContain(IPAddress.Any, ips);
        Assert.Contains(IPAddress.Parse("192.168.0.9"), ips);
    }

    [Fact]
    public void Generated_ChainsToItsCa()
    {
        using GeneratedCertificates g = GeneratedCertificates.Create(DateTimeOffset.UtcNow, "node1", IPAddress.Loopback, null);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(g.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(g.Server));
    }

    [Fact]
    public void CaKeyPath_IsBesideTheCaCertificate() =>
        Assert.Equal("/etc/pm/tls/ca-key.pem", ConsoleCertificate.CaKeyPath("/etc/pm/tls/ca.pem"));

    [Theory]
    [InlineData(null, null, null, null, "no csrf cookie")]
    [InlineData("T", "T", null, null, "no csrf cookie")]
    [InlineData(Token, null, null, null, "no X-CSRF-Token header")]
    [InlineData(Token, OtherToken, null, null, "X-CSRF-Token does not match the cookie")]
    [InlineData(Token, Token, "cross-site", null, "Sec-Fetch-Site is cross-site")]
    [InlineData(Token, Token, null, "http://evil.example", "Origin http://evil.example is not this console")]
    [InlineData(Token, Token, "same-origin", "http://console:9001", null)]
    [InlineData(Token, Token, null, null, null)]
    public void Check_RefusesWithoutAMatchingToken_OrFromAnotherSite(string? cookie, string? header, string? site, string? origin, string? refusal)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("console:9001");
        if (cookie is not null) context.Request.Headers.Cookie = $"{CsrfGuard.CookieName}={cookie}";
        if (header is not null) context.Request.Headers[CsrfGuard.HeaderName] = header;
        if (site is not null) context.Request.Headers["Sec-Fetch-Site"] = site;
        if (origin is not null) context.Request.Headers.Origin = origin;
        Assert.Equal(refusal, CsrfGuard.Check(context.Request));
    }

    [Theory]
    [InlineData("GET", false)]
    [InlineData("HEAD", false)]
    [InlineData("OPTIONS", false)]
    [InlineData("POST", true)]
    [InlineData("PUT", true)]
    [InlineData("PATCH", true)]
    [InlineData("DELETE", true)]
    public void IsUnsafe_EveryMethodButTheSafeOnes(string method, bool unsafeMethod) => Assert.Equal(unsafeMethod, CsrfGuard.IsUnsafe(method));

    private const string Token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
    private const string OtherToken = "bbcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
}
