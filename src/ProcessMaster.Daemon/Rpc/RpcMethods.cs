using System.Collections.Frozen;
using System.Text.Json;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// The method table: method name → handler that binds and validates the params (clear -32602 errors naming the
/// field), calls <see cref="ISupervisorApi"/> and returns the result with its type info. Shared by the unix-socket
/// connection and the web console; knows nothing about framing or the handshake.
/// </summary>
internal sealed partial class RpcMethods
{
    private delegate Task<RpcOutcome> Handler(RpcMethods self, JsonElement? @params, RpcCaller caller, CancellationToken ct);

    /// <summary>Largest <c>n</c> of <c>events</c>: the journal keeps this many.</summary>
    public const int MaxEvents = 2000;

    /// <summary>Largest <c>n</c> of <c>logs</c> and <c>logs_follow</c>.</summary>
    public const int MaxLogLines = 10_000;

    private static readonly FrozenDictionary<string, Handler> Handlers = new Dictionary<string, Handler>
    {
        [RpcMethodNames.Status] = static async (s, p, c, ct) =>
        {
            StatusParams a = Bind(RpcMethodNames.Status, p, ProtocolJsonContext.Default.StatusParams);
            string? name = OptionalName(RpcMethodNames.Status, "name", a.Name, allowAll: true);
            return RpcOutcome.Of(await s._supervisor.StatusAsync(name, a.Resources, c, ct), ProtocolJsonContext.Default.StatusResult);
        },
        [RpcMethodNames.Events] = static async (s, p, c, ct) =>
        {
            EventsParams a = Bind(RpcMethodNames.Events, p, ProtocolJsonContext.Default.EventsParams);
            string? name = OptionalName(RpcMethodNames.Events, "name", a.Name, allowAll: false);
            int n = InRange(RpcMethodNames.Events, "n", a.N, 0, MaxEvents);
            return RpcOutcome.Of(await s._supervisor.EventsAsync(name, n, c, ct), ProtocolJsonContext.Default.EventsResult);
        },
        [RpcMethodNames.Logs] = static async (s, p, c, ct) =>
        {
            LogsParams a = Bind(RpcMethodNames.Logs, p, ProtocolJsonContext.Default.LogsParams);
            string name = RequiredName(RpcMethodNames.Logs, "name", a.Name, allowAll: false);
            int n = InRange(RpcMethodNames.Logs, "n", a.N, 0, MaxLogLines);
            return RpcOutcome.Of(await s._supervisor.LogsAsync(name, n, c, ct), ProtocolJsonContext.Default.LogsResult);
        },
        [RpcMethodNames.LogsFollow] = static async (s, p, c, ct) =>
        {
            LogsFollowParams a = Bind(RpcMethodNames.LogsFollow, p, ProtocolJsonContext.Default.LogsFollowParams);
            string? name = OptionalName(RpcMethodNames.LogsFollow, "name", a.Name, allowAll: false);
            string? file = OptionalFileName(RpcMethodNames.LogsFollow, a.File);
            int n = InRange(RpcMethodNames.LogsFollow, "n", a.N, 0, MaxLogLines);
            return RpcOutcome.Following(await s._supervisor.FollowLogsAsync(name, file, n, c, ct));
        },
        [RpcMethodNames.Start] = static async (s, p, c, ct) =>
        {
            ServiceActionParams a = Bind(RpcMethodNames.Start, p, ProtocolJsonContext.Default.ServiceActionParams);
            string name = RequiredName(RpcMethodNames.Start, "name", a.Name, allowAll: true);
            return RpcOutcome.Of(await s._supervisor.StartAsync(name, a.Force, c, ct), ProtocolJsonContext.Default.ServiceActionResult);
        },
        [RpcMethodNames.Stop] = static async (s, p, c, ct) =>
        {
            ServiceActionParams a = Bind(RpcMethodNames.Stop, p, ProtocolJsonContext.Default.ServiceActionParams);
            string name = RequiredName(RpcMethodNames.Stop, "name", a.Name, allowAll: true);
            return RpcOutcome.Of(await s._supervisor.StopAsync(name, a.Force, c, ct), ProtocolJsonContext.Default.ServiceActionResult);
        },
        [RpcMethodNames.Restart] = static async (s, p, c, ct) =>
        {
            ServiceActionParams a = Bind(RpcMethodNames.Restart, p, ProtocolJsonContext.Default.ServiceActionParams);
            string name = RequiredName(RpcMethodNames.Restart, "name", a.Name, allowAll: true);
            return RpcOutcome.Of(await s._supervisor.RestartAsync(name, a.Force, c, ct), ProtocolJsonContext.Default.ServiceActionResult);
        },
        [RpcMethodNames.Update] = static async (s, p, c, ct) =>
        {
            UpdateParams a = Bind(RpcMethodNames.Update, p, ProtocolJsonContext.Default.UpdateParams);
            return RpcOutcome.Of(await s._supervisor.UpdateAsync(a.Master, c, ct), ProtocolJsonContext.Default.UpdateResult);
        },
        [RpcMethodNames.LogReopen] = static async (s, p, c, ct) =>
        {
            Bind(RpcMethodNames.LogReopen, p, ProtocolJsonContext.Default.EmptyParams);
            return RpcOutcome.Of(await s._supervisor.LogReopenAsync(c, ct), ProtocolJsonContext.Default.LogReopenResult);
        },
        [RpcMethodNames.Enable] = static (s, p, c, ct) => s.SetEnabledAsync(RpcMethodNames.Enable, true, p, c, ct),
        [RpcMethodNames.Disable] = static (s, p, c, ct) => s.SetEnabledAsync(RpcMethodNames.Disable, false, p, c, ct),
        [RpcMethodNames.Flag] = static async (s, p, c, ct) =>
        {
            FlagParams a = Bind(RpcMethodNames.Flag, p, ProtocolJsonContext.Default.FlagParams);
            string name = RequiredName(RpcMethodNames.Flag, "name", a.Name, allowAll: true);
            IReadOnlyList<string> flags = NormalizeFlags(RpcMethodNames.Flag, a.Flags);
            string? ttl = a.Ttl is null ? null : NonBlank(RpcMethodNames.Flag, "ttl", a.Ttl);
            return RpcOutcome.Of(await s._supervisor.FlagAsync(name, flags, ttl, c, ct), ProtocolJsonContext.Default.FlagResult);
        },
        [RpcMethodNames.Unflag] = static async (s, p, c, ct) =>
        {
            UnflagParams a = Bind(RpcMethodNames.Unflag, p, ProtocolJsonContext.Default.UnflagParams);
            string name = RequiredName(RpcMethodNames.Unflag, "name", a.Name, allowAll: true);
            IReadOnlyList<string> flags = NormalizeFlags(RpcMethodNames.Unflag, a.Flags);
            return RpcOutcome.Of(await s._supervisor.UnflagAsync(name, flags, c, ct), ProtocolJsonContext.Default.FlagResult);
        },
        [RpcMethodNames.AdminList] = static async (s, p, c, ct) =>
        {
            Bind(RpcMethodNames.AdminList, p, ProtocolJsonContext.Default.EmptyParams);
            return RpcOutcome.Of(await s._supervisor.AdminListAsync(c, ct), ProtocolJsonContext.Default.AdminListResult);
        },
        [RpcMethodNames.AdminRun] = static async (s, p, c, ct) =>
        {
            AdminRunParams a = Bind(RpcMethodNames.AdminRun, p, ProtocolJsonContext.Default.AdminRunParams);
            string id = NonBlank(RpcMethodNames.AdminRun, "id", a.Id);
            return RpcOutcome.Of(await s._supervisor.AdminRunAsync(id, c, ct), ProtocolJsonContext.Default.AdminRunResult);
        },
        [RpcMethodNames.AdminPs] = static async (s, p, c, ct) =>
        {
            Bind(RpcMethodNames.AdminPs, p, ProtocolJsonContext.Default.EmptyParams);
            return RpcOutcome.Of(await s._supervisor.AdminPsAsync(c, ct), ProtocolJsonContext.Default.AdminPsResult);
        },
        [RpcMethodNames.AdminKill] = static async (s, p, c, ct) =>
        {
            Bind(RpcMethodNames.AdminKill, p, ProtocolJsonContext.Default.EmptyParams);
            return RpcOutcome.Of(await s._supervisor.AdminKillAsync(c, ct), ProtocolJsonContext.Default.AdminKillResult);
        },
        [RpcMethodNames.ServerVersion] = static (s, p, c, ct) =>
        {
            Bind(RpcMethodNames.ServerVersion, p, ProtocolJsonContext.Default.EmptyParams);
            var result = new ServerVersionResult
            {
                Banner = BuildInfo.Banner,
                BuildHost = BuildInfo.Host,
                BuildTime = BuildInfo.Time,
                ProtocolVersion = JsonRpcVersion.ProtocolVersion,
            };
            return Task.FromResult(RpcOutcome.Of(result, ProtocolJsonContext.Default.ServerVersionResult));
        },
        [RpcMethodNames.PerfMetrics] = static async (s, p, c, ct) =>
        {
            PerfMetricsParams a = Bind(RpcMethodNames.PerfMetrics, p, ProtocolJsonContext.Default.PerfMetricsParams);
            string name = RequiredName(RpcMethodNames.PerfMetrics, "name", a.Name.Trim(), allowAll: false);
            return RpcOutcome.Of(await s._supervisor.PerfMetricsAsync(name, c, ct), ProtocolJsonContext.Default.PerfMetricsResult);
        },
        [RpcMethodNames.Shutdown] = static async (s, p, c, ct) =>
        {
            ShutdownParams a = Bind(RpcMethodNames.Shutdown, p, ProtocolJsonContext.Default.ShutdownParams);
            return RpcOutcome.Of(await s._supervisor.ShutdownAsync(a.StopServices, c, ct), ProtocolJsonContext.Default.ShutdownResult);
        },
        [RpcMethodNames.Metrics] = static async (s, p, c, ct) =>
        {
            Bind(RpcMethodNames.Metrics, p, ProtocolJsonContext.Default.EmptyParams);
            return RpcOutcome.Of(await s._supervisor.MetricsAsync(c, ct), ProtocolJsonContext.Default.MetricsResult);
        },
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly ISupervisorApi _supervisor;
    private readonly RpcStatistics? _statistics;

    /// <summary>Creates the table over a supervisor; calls are counted and timed in its <see cref="ISupervisorApi.Statistics"/>.</summary>
    public RpcMethods(ISupervisorApi supervisor)
    {
        _supervisor = supervisor;
        _statistics = supervisor.Statistics;
    }

    /// <summary>Every method this table serves (not <c>handshake</c>, which belongs to the socket connection).</summary>
    public static IReadOnlyCollection<string> Names => Handlers.Keys;

    /// <summary>True when <paramref name="method"/> is served.</summary>
    public static bool IsKnown(string method) => Handlers.ContainsKey(method);

    /// <summary>
    /// Runs one method. Throws <see cref="RpcException"/> for an unknown method (-32601), bad params (-32602) and
    /// whatever the supervisor refuses; other exceptions are the caller's to turn into -32603.
    /// </summary>
    public Task<RpcOutcome> InvokeAsync(string method, JsonElement? @params, RpcCaller caller, CancellationToken cancellationToken)
    {
        if (!Handlers.TryGetValue(method, out Handler? handler))
        {
            return Task.FromException<RpcOutcome>(new RpcException(RpcErrorCodes.MethodNotFound,
                $"unknown method \"{Truncate(method, 64)}\"; methods: handshake, {string.Join(", ", Handlers.Keys.Order(StringComparer.Ordinal))} (docs/rpc.md)"));
        }
        try
        {
            Task<RpcOutcome> call = handler(this, @params, caller, cancellationToken);
            return _statistics is null ? call : _statistics.Time(method, call);
        }
        catch (RpcException e)
        {
            _statistics?.Record(method, TimeSpan.Zero);
            return Task.FromException<RpcOutcome>(e);
        }
    }

    private async Task<RpcOutcome> SetEnabledAsync(string method, bool enabled, JsonElement? p, RpcCaller caller, CancellationToken ct)
    {
        EnableParams a = Bind(method, p, ProtocolJsonContext.Default.EnableParams);
        string name = RequiredName(method, "name", a.Name, allowAll: false);
        return RpcOutcome.Of(await _supervisor.SetEnabledAsync(name, enabled, caller, ct), ProtocolJsonContext.Default.EnableResult);
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
