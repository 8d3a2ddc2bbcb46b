using Microsoft.AspNetCore.Http;

namespace ProcessMaster.Daemon.Web.Security;

/// <summary>
/// Headers on every console response: a CSP that allows only this origin's scripts and styles (no inline script, no
/// framing, no plugins), nosniff, no referrer, and <c>no-store</c> unless the response is a versioned static asset.
/// Under TLS also HSTS.
/// </summary>
internal static class ResponseHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response, bool tls)
    {
        IHeaderDictionary h = response.Headers;
        h.ContentSecurityPolicy = ContentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        h.CacheControl = "no-store";
        if (tls) h.StrictTransportSecurity = "max-age=31536000";
    }
}
