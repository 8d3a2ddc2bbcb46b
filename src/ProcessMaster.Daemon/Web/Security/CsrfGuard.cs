using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ProcessMaster.Daemon.Web.Security;

/// <summary>
/// CSRF protection for every state-changing request (any method but GET/HEAD/OPTIONS): a double-submit token — the
/// <c>pm_csrf</c> cookie (HttpOnly, SameSite=Strict, path <c>/processmaster/</c>, Secure under TLS) must equal the
/// <c>X-CSRF-Token</c> header (compared in constant time) — and the browser's own provenance headers must not name
/// another site (<c>Sec-Fetch-Site</c>, <c>Origin</c>). A cross-site page can neither read the cookie nor set the header.
/// </summary>
internal static class CsrfGuard
{
    public const string CookieName = "pm_csrf";
    public const string HeaderName = "X-CSRF-Token";
    public const string Refusal = "csrf check failed";

    /// <summary>True for methods that must carry the token.</summary>
    public static bool IsUnsafe(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    /// <summary>The token of this browser: the cookie's, or a new one set on the response.</summary>
    public static string EnsureToken(HttpContext context, bool secure)
    {
        if (context.Request.Cookies.TryGetValue(CookieName, out string? existing) && IsWellFormed(existing)) return existing!;
        string token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = secure,
            Path = "/processmaster/",
            IsEssential = true,
        });
        return token;
    }

    /// <summary>Null when the request passes; otherwise why it does not (for the journal).</summary>
    public static string? Check(HttpRequest request)
    {
        string site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none")) return $"Sec-Fetch-Site is {Sanitize(site)}";
        string origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
            return $"Origin {Sanitize(origin)} is not this console";
        if (!request.Cookies.TryGetValue(CookieName, out string? cookie) || !IsWellFormed(cookie)) return "no csrf cookie";
        string header = request.Headers[HeaderName].ToString().Trim();
        if (header.Length == 0) return "no X-CSRF-Token header";
        bool equal = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie!), Encoding.ASCII.GetBytes(header));
        return equal ? null : "X-CSRF-Token does not match the cookie";
    }

    private static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Sanitize(string value) => Text.Printable(value, 64);
}
