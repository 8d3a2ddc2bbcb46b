using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProcessMaster.Daemon.Web.Tls;

/// <summary>
/// A self-signed CA (<c>CN=processmaster-ca</c>, <see cref="CaLifetime"/>) and a server certificate it signs
/// (<see cref="ServerLifetime"/>, CN = the host name, SANs: localhost, 127.0.0.1, ::1, the host name, the bind address
/// unless it is a wildcard, and <c>client_host</c>), both ECDSA P-256. Short lifetimes on purpose (audit #33): the
/// daemon regenerates its own certificate when it has expired.
/// </summary>
internal sealed class GeneratedCertificates : IDisposable
{
    public const string CaName = "processmaster-ca";
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(427);
    public static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(397);

    private GeneratedCertificates(X509Certificate2 ca, ECDsa caKey, X509Certificate2 server, ECDsa serverKey)
    {
        Ca = ca;
        CaKey = caKey;
        Server = server;
        ServerKey = serverKey;
    }

    public X509Certificate2 Ca { get; }

    public ECDsa CaKey { get; }

    public X509Certificate2 Server { get; }

    public ECDsa ServerKey { get; }

    /// <summary>The server certificate followed by the CA (what the server certificate file holds).</summary>
    public string ServerChainPem => Server.ExportCertificatePem() + "\n" + Ca.ExportCertificatePem() + "\n";

    public static GeneratedCertificates Create(DateTimeOffset now, string hostName, IPAddress bind, string? clientHost)
    {
        ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={CaName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now + CaLifetime);

        ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}", serverKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(Names(hostName, bind, clientHost));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using X509Certificate2 signed = request.Create(ca, now.AddDays(-1), now + ServerLifetime, serial);
        X509Certificate2 server = signed.CopyWithPrivateKey(serverKey);
        return new GeneratedCertificates(ca, caKey, server, serverKey);
    }

    /// <summary>The subject alternative names of a generated server certificate.</summary>
    internal static X509Extension Names(string hostName, IPAddress bind, string? clientHost)
    {
        var san = new SubjectAlternativeNameBuilder();
        var dns = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", hostName.ToLowerInvariant() };
        var ips = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any) && !ips.Contains(bind)) ips.Add(bind);
        if (clientHost is not null)
        {
            string host = clientHost.Trim().Trim('[', ']');
            if (IPAddress.TryParse(host, out IPAddress? ip)) { if (!ips.Contains(ip)) ips.Add(ip); }
            else dns.Add(host.ToLowerInvariant());
        }
        foreach (string name in dns) san.AddDnsName(name);
        foreach (IPAddress ip in ips) san.AddIpAddress(ip);
        return san.Build();
    }

    public void Dispose()
    {
        Ca.Dispose();
        CaKey.Dispose();
        Server.Dispose();
        ServerKey.Dispose();
    }
}
