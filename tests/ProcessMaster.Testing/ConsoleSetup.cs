using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace ProcessMaster.Testing;

/// <summary>
/// A web console on a test daemon: the <c>web_console</c> YAML for <see cref="DaemonInstance.Create"/>, htpasswd
/// entries made with a fast bcrypt cost, and the address the daemon reports when it listens (port 0 = a free port).
/// </summary>
public static partial class ConsoleSetup
{
    /// <summary>The test user.</summary>
    public const string User = "ops";

    /// <summary>Its password (the colon is deliberate: only the first colon separates user and password).</summary>
    public const string Password = "s3cret!:x";

    /// <summary>An htpasswd entry for <paramref name="user"/> (bcrypt cost 4: fast, still a real bcrypt hash).</summary>
    public static string Entry(string user, string password, int cost = 4) => $"{user}:{BCrypt.Net.BCrypt.HashPassword(password, cost)}";

    /// <summary>
    /// The <c>web_console</c> section: enabled on <paramref name="bind"/>, port 0, with <see cref="User"/> unless
    /// <paramref name="users"/> says otherwise (null: the <c>auth</c> section is omitted, so admin/admin applies).
    /// </summary>
    public static string Yaml(string bind = "127.0.0.1", string[]? users = null, bool omitAuth = false, string extra = "")
    {
        var yaml = new StringBuilder($"web_console:\n  enabled: true\n  bind: \"{bind}\"\n  port: 0\n");
        if (!omitAuth)
        {
            yaml.Append("  auth:\n    basic:\n      users:\n");
            foreach (string entry in users ?? [Entry(User, Password)]) yaml.Append($"        - \"{entry}\"\n");
        }
        foreach (string line in extra.Split('\n', StringSplitOptions.RemoveEmptyEntries)) yaml.Append("  ").Append(line).Append('\n');
        return yaml.ToString();
    }

    /// <summary>Waits for the daemon's "web console: listening on URL" event and returns the console's base URL (…/processmaster/).</summary>
    public static async Task<Uri> AddressAsync(DaemonInstance daemon)
    {
        string line = await daemon.WaitForLogAsync("web console: listening on ", TimeSpan.FromSeconds(60));
        Match m = Listening().Match(line);
        if (!m.Success) throw new InvalidOperationException($"cannot read the console address from: {line}");
        return new Uri(m.Groups[1].Value);
    }

    /// <summary>The <c>Authorization</c> header value for <paramref name="user"/>:<paramref name="password"/>.</summary>
    public static AuthenticationHeaderValue Basic(string user = User, string password = Password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>An HttpClient for the console that keeps cookies (the CSRF cookie) and, optionally, trusts any certificate.</summary>
    public static HttpClient Client(Uri address, bool anyCertificate = false)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        if (anyCertificate) handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        return new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    [GeneratedRegex(@"listening on (\S+/processmaster/)")]
    private static partial Regex Listening();
}
