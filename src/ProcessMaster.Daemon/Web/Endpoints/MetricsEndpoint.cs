using Microsoft.AspNetCore.Http;
using ProcessMaster.Daemon.Metrics;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Web.Endpoints;

/// <summary><c>GET /metrics</c>: the Prometheus text exposition, the same text as <c>pmctl metrics</c> (the <c>metrics</c> method).</summary>
internal static class MetricsEndpoint
{
    public static async Task HandleAsync(HttpContext context, ConsoleServices services)
    {
        RpcOutcome outcome = await services.Methods.InvokeAsync(RpcMethodNames.Metrics, null, RpcCaller.Internal, context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = PrometheusText.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(((MetricsResult)outcome.Value).Text, context.RequestAborted).ConfigureAwait(false);
    }
}
