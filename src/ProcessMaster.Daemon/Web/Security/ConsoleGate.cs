using System.Security.Claims;
using System.Security.Principal;
using Microsoft.AspNetCore.Http;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Web.Auth;
using ProcessMaster.Daemon.Web.Endpoints;

namespace ProcessMaster.Daemon.Web.Security;

/// <summary>
/// In front of every request: the security headers; then, for everything under <c>/processmaster</c>, basic
/// authentication (401 with the challenge and nothing else; 429 while too many verifications run), then the CSRF check
/// for state-changing methods (403). An exception never reaches the browser: it is journaled and answered with a plain
/// 500 line.
/// </summary>
internal sealed class ConsoleGate(PasswordVerifier verifier, LoginFailureLog failures, EventJournal journal, bool tls, bool metricsAuth = false)
{
    /// <summary>The Prometheus scrape path, outside <c>/processmaster</c>: public unless <c>web_console.metrics_auth</c>.</summary>
    public const string MetricsPath = "/metrics";

    public const string Realm = "Basic realm=\"processmaster\", charset=\"UTF-8\"";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ResponseHeaders.Apply(context.Response, tls);
        try
        {
            bool guarded = context.Request.Path.StartsWithSegments("/processmaster", StringComparison.Ordinal)
                           || (metricsAuth && context.Request.Path.StartsWithSegments(MetricsPath, StringComparison.Ordinal));
            if (guarded && !await AdmitAsync(context).ConfigureAwait(false))
                return;
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted)
                await PageEndpoints.Plain(context, StatusCodes.Status404NotFound, "not found").ConfigureAwait(false);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            journal.Append("web", null, $"{context.Request.Method} {Text.Printable(context.Request.Path.Value, 128)}: internal error: {e}", EventSeverity.Error);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                ResponseHeaders.Apply(context.Response, tls);
                await PageEndpoints.Plain(context, StatusCodes.Status500InternalServerError, "internal error; the daemon log has details").ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> AdmitAsync(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        AuthOutcome outcome = await verifier.VerifyAsync(header, context.RequestAborted).ConfigureAwait(false);
        string address = context.Connection.RemoteIpAddress?.ToString() ?? "-";
        if (outcome.Busy)
        {
            context.Response.Headers.RetryAfter = "5";
            await PageEndpoints.Plain(context, StatusCodes.Status429TooManyRequests, outcome.Failure!).ConfigureAwait(false);
            return false;
        }
        if (outcome.User is null)
        {
            if (!outcome.IsChallenge) failures.Record(address, outcome.Claimed, outcome.Failure!);
            context.Response.Headers.WWWAuthenticate = Realm;
            await PageEndpoints.Plain(context, StatusCodes.Status401Unauthorized, outcome.Failure!).ConfigureAwait(false);
            return false;
        }
        context.User = new ClaimsPrincipal(new GenericIdentity(outcome.User, "Basic"));
        if (CsrfGuard.IsUnsafe(context.Request.Method) && CsrfGuard.Check(context.Request) is { } refusal)
        {
            journal.Append("web", null, $"csrf refused: {Rpc.RpcCaller.Web(outcome.User!, address)}: {context.Request.Method} {Text.Printable(context.Request.Path.Value, 128)}: {refusal}");
            await PageEndpoints.Plain(context, StatusCodes.Status403Forbidden, CsrfGuard.Refusal).ConfigureAwait(false);
            return false;
        }
        return true;
    }
}
