using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProcessMaster.Daemon.Web.Security;
using ProcessMaster.Protocol;

namespace ProcessMaster.Daemon.Web.Endpoints;

/// <summary>The page and its embedded files: <c>/processmaster/status</c> and <c>/processmaster/static/*</c>.</summary>
internal static class PageEndpoints
{
    /// <summary>Changes with every build, so a browser never mixes files of two builds.</summary>
    public static string AssetVersion { get; } = Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(BuildInfo.Host + "|" + BuildInfo.Time)))[..12];

    public static void Map(RouteGroupBuilder console, ConsoleServices services)
    {
        console.MapGet("/", Redirect);
        console.MapGet("/status", context => StatusPageAsync(context, services));
        console.MapGet("/static/{**file}", StaticAsync);
    }

    private static Task Redirect(HttpContext context)
    {
        context.Response.Redirect("/processmaster/status");
        return Task.CompletedTask;
    }

    private static async Task StatusPageAsync(HttpContext context, ConsoleServices services)
    {
        Asset page = StaticAssets.Find("status.html") ?? throw new InvalidOperationException("status.html is not embedded");
        string token = CsrfGuard.EnsureToken(context, services.Tls);
        string html = Encoding.UTF8.GetString(page.Content)
            .Replace("{{csrf}}", token, StringComparison.Ordinal)
            .Replace("{{build_host}}", WebUtility.HtmlEncode(BuildInfo.Host), StringComparison.Ordinal)
            .Replace("{{build_time}}", WebUtility.HtmlEncode(BuildInfo.Time), StringComparison.Ordinal)
            .Replace("{{user}}", WebUtility.HtmlEncode(context.User.Identity?.Name ?? ""), StringComparison.Ordinal)
            .Replace("{{v}}", AssetVersion, StringComparison.Ordinal);
        context.Response.ContentType = page.ContentType;
        await context.Response.WriteAsync(html, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StaticAsync(HttpContext context)
    {
        string file = context.Request.RouteValues["file"] as string ?? "";
        if (file == "status.html" || StaticAssets.Find(file) is not { } asset)
        {
            await Plain(context, StatusCodes.Status404NotFound, "not found").ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = asset.ContentType;
        context.Response.Headers.CacheControl = "private, no-cache";
        await context.Response.Body.WriteAsync(asset.Content, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A short plain-text answer.</summary>
    public static Task Plain(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
