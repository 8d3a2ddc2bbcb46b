using System.Net;

namespace ProcessMaster.Core.Config.Model;

/// <summary><c>web_console.*</c> of the master config.</summary>
/// <param name="Enabled">Serve the console (default false).</param>
/// <param name="Bind">Listen address, an IP literal (default 0.0.0.0).</param>
/// <param name="Port">Listen port (default 9001).</param>
/// <param name="AllowPlaintextRemote">Allow basic auth without TLS on a non-loopback address (default false).</param>
/// <param name="Tls"><c>web_console.tls.*</c></param>
/// <param name="Users">htpasswd bcrypt entries (default: admin/admin).</param>
public sealed record WebConsoleSettings(
    bool Enabled,
    IPAddress Bind,
    int Port,
    bool AllowPlaintextRemote,
    TlsSettings Tls,
    ValueList<BasicAuthUser> Users)
{
    /// <summary>
    /// <c>web_console.metrics_auth</c>: <c>/metrics</c> asks for the console's basic auth too (default false: a
    /// Prometheus scraper needs no credentials; the exposition holds service names and numbers, no secrets).
    /// </summary>
    public bool MetricsAuth { get; init; }

    /// <summary>
    /// <c>web_console.idle_stop</c>: how long the console's HTTP server (Kestrel) keeps running after its last connection
    /// closed (default <see cref="DefaultIdleStop"/>); null (<c>never</c>) keeps it running once a first connection
    /// started it. The listening socket stays open either way: the next connection starts the server again.
    /// </summary>
    public TimeSpan? IdleStop { get; init; } = DefaultIdleStop;

    /// <summary>The default <see cref="IdleStop"/>: two minutes.</summary>
    public static readonly TimeSpan DefaultIdleStop = TimeSpan.FromMinutes(2);

    /// <summary>The shortest <see cref="IdleStop"/> accepted: one second.</summary>
    public static readonly TimeSpan MinIdleStop = TimeSpan.FromSeconds(1);

    /// <summary>The bootstrap entry (admin/admin) used when <c>auth</c> is omitted.</summary>
    public const string DefaultUserEntry = "admin:$2a$10$jqNWtAzhWEVlPnvJwyI6g.Nwb8YPU5ypCED9lBEhahUSs13ac1MPe";

    /// <summary>True when the bootstrap admin/admin entry is among <see cref="Users"/>.</summary>
    public bool UsesDefaultCredentials => Users.Any(u => u.Entry == DefaultUserEntry);

    /// <summary>True when <see cref="Bind"/> is a loopback address.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Bind);
}

/// <summary><c>web_console.tls.*</c>; paths are resolved against the config file's directory.</summary>
/// <param name="Enabled">Serve HTTPS (default false).</param>
/// <param name="CaPem">CA certificate (required for mTLS).</param>
/// <param name="ServerCertPem">Server certificate (required when enabled).</param>
/// <param name="ServerKeyPem">Server key (required when enabled).</param>
/// <param name="ClientHost">Extra DNS/IP SAN for a generated certificate.</param>
/// <param name="Mtls">Require client certificates signed by <paramref name="CaPem"/> (default false).</param>
public sealed record TlsSettings(bool Enabled, string? CaPem, string? ServerCertPem, string? ServerKeyPem, string? ClientHost, bool Mtls)
{
    /// <summary>TLS off.</summary>
    public static TlsSettings Disabled { get; } = new(false, null, null, null, null, false);
}

/// <summary>One htpasswd entry <c>user:bcrypt-hash</c>.</summary>
/// <param name="User">User name.</param>
/// <param name="Hash">bcrypt hash (<c>$2a$</c>, <c>$2b$</c> or <c>$2y$</c>).</param>
public sealed record BasicAuthUser(string User, string Hash)
{
    /// <summary>The entry as written, <c>user:hash</c>.</summary>
    public string Entry => User + ":" + Hash;
}
