using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Daemon.Web.Feeds;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Web.Endpoints;

/// <summary>
/// Server-sent event streams under <c>/processmaster/stream/</c>: live status (pushed on change) with usage samples,
/// daemon events, following a service's log, and one service's resources. The page never polls; a stream ends when
/// the page closes it or the console stops. A bad parameter ends the stream with one <c>error</c> event.
/// </summary>
internal static class StreamEndpoints
{
    public static void Map(RouteGroupBuilder streams, ConsoleServices services)
    {
        streams.MapGet("/status", context => StatusAsync(context, services));
        streams.MapGet("/events", context => EventsAsync(context, services));
        streams.MapGet("/logs", context => LogsAsync(context, services));
        streams.MapGet("/resources", context => ResourcesAsync(context, services));
    }

    private static async Task StatusAsync(HttpContext context, ConsoleServices services)
    {
        using var stop = Link(context, services);
        using var sse = new ServerSentEvents(context.Response, stop.Token);
        using Broadcast<StatusResult>.Subscription status = services.Status.Subscribe();
        using Broadcast<UsageSample>.Subscription usage = services.Usage.Subscribe();
        await Run(async () =>
        {
            await sse.StartAsync().ConfigureAwait(false);
            await sse.SendAsync("hello", new StreamHello
            {
                User = context.User.Identity?.Name ?? "-",
                BuildHost = BuildInfo.Host,
                BuildTime = BuildInfo.Time,
                UsageIntervalSeconds = UsageSampler.Interval.TotalSeconds,
            }, WebJsonContext.Default.StreamHello).ConfigureAwait(false);
            await Task.WhenAll(
                Pump(status.Reader, s => sse.SendAsync("status", s, ProtocolJsonContext.Default.StatusResult), stop.Token),
                Pump(usage.Reader, u => sse.SendAsync("usage", u, WebJsonContext.Default.UsageSample), stop.Token)).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static async Task EventsAsync(HttpContext context, ConsoleServices services)
    {
        using var stop = Link(context, services);
        using var sse = new ServerSentEvents(context.Response, stop.Token);
        using Broadcast<DaemonEvent>.Subscription live = services.Events.Subscribe();
        await Run(async () =>
        {
            await sse.StartAsync().ConfigureAwait(false);
            EventsResult backlog = services.Journal.Last(200).ToResult();
            await sse.SendAsync("backlog", backlog, ProtocolJsonContext.Default.EventsResult).ConfigureAwait(false);
            long last = backlog.Events.Count == 0 ? -1 : backlog.Events[^1].Seq;
            await Pump(live.Reader, e => e.Sequence <= last ? Task.CompletedTask
                : sse.SendAsync("event", DaemonEventEntries.ToEntry(e), ProtocolJsonContext.Default.EventEntry), stop.Token).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static async Task LogsAsync(HttpContext context, ConsoleServices services)
    {
        using var stop = Link(context, services);
        using var sse = new ServerSentEvents(context.Response, stop.Token);
        await Run(async () =>
        {
            await sse.StartAsync().ConfigureAwait(false);
            string? name = Query(context, "name");
            if (name is null)
            {
                await Fail(sse, RpcException.InvalidParams("logs stream", "query parameter \"name\" is required")).ConfigureAwait(false);
                return;
            }
            if (!TryCount(context, 200, out int n))
            {
                await Fail(sse, RpcException.InvalidParams("logs stream", "query parameter \"n\" must be a number of lines")).ConfigureAwait(false);
                return;
            }
            JsonElement args = JsonSerializer.SerializeToElement(new LogsFollowParams { Name = name, File = Query(context, "file"), N = n },
                ProtocolJsonContext.Default.LogsFollowParams);
            RpcOutcome outcome;
            try
            {
                outcome = await services.Methods.InvokeAsync(RpcMethodNames.LogsFollow, args, RpcEndpoint.CallerOf(context), stop.Token).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                await Fail(sse, e).ConfigureAwait(false);
                return;
            }
            await using LogFollowSession session = outcome.Follow!;
            await sse.SendAsync("backlog", session.Backlog, ProtocolJsonContext.Default.LogsFollowResult).ConfigureAwait(false);
            await foreach (LogLineNotification line in session.Lines.WithCancellation(stop.Token).ConfigureAwait(false))
                await sse.SendAsync("line", line, ProtocolJsonContext.Default.LogLineNotification).ConfigureAwait(false);
            await sse.SendAsync("end", new LogsEndNotification { Reason = "the daemon stopped following these files" },
                ProtocolJsonContext.Default.LogsEndNotification).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static async Task ResourcesAsync(HttpContext context, ConsoleServices services)
    {
        using var stop = Link(context, services);
        using var sse = new ServerSentEvents(context.Response, stop.Token);
        using Broadcast<UsageSample>.Subscription clock = services.Usage.Subscribe();
        await Run(async () =>
        {
            await sse.StartAsync().ConfigureAwait(false);
            string name = Query(context, "name") ?? "";
            JsonElement args = JsonSerializer.SerializeToElement(new PerfMetricsParams { Name = name }, ProtocolJsonContext.Default.PerfMetricsParams);
            RpcCaller caller = RpcEndpoint.CallerOf(context);
            await Pump(clock.Reader, async _ =>
            {
                RpcOutcome outcome = await services.Methods.InvokeAsync(RpcMethodNames.PerfMetrics, args, caller, stop.Token).ConfigureAwait(false);
                await sse.SendAsync("sample", (PerfMetricsResult)outcome.Value, ProtocolJsonContext.Default.PerfMetricsResult).ConfigureAwait(false);
            }, stop.Token).ConfigureAwait(false);
        }, sse).ConfigureAwait(false);
    }

    /// <summary>Sends every queued message until the stream ends.</summary>
    private static async Task Pump<T>(ChannelReader<T> reader, Func<T, Task> send, CancellationToken cancellationToken)
    {
        await foreach (T item in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) await send(item).ConfigureAwait(false);
    }

    /// <summary>Runs a stream body: the page leaving or the console stopping ends it quietly; a refused call ends it with an error event.</summary>
    private static async Task Run(Func<Task> body, ServerSentEvents? sse = null)
    {
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (RpcException e) when (sse is not null)
        {
            await Fail(sse, e).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The page closed the stream, or the console is stopping.
        }
    }

    private static async Task Fail(ServerSentEvents sse, RpcException e)
    {
        try
        {
            await sse.SendAsync("error", new StreamError { Code = e.Code, Message = e.Message }, WebJsonContext.Default.StreamError).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Gone already.
        }
    }

    private static CancellationTokenSource Link(HttpContext context, ConsoleServices services) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, services.Stopping.Token);

    private static string? Query(HttpContext context, string key) =>
        context.Request.Query.TryGetValue(key, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static bool TryCount(HttpContext context, int fallback, out int n)
    {
        n = fallback;
        string? text = Query(context, "n");
        return text is null || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n);
    }
}
