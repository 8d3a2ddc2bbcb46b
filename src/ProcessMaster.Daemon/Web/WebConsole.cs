using System.Net;
using Microsoft.AspNetCore.Builder;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Hosting;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Daemon.Web.Auth;
using ProcessMaster.Daemon.Web.Feeds;
using ProcessMaster.Daemon.Web.Security;
using ProcessMaster.Daemon.Web.Tls;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Web;

/// <summary>
/// The web console's lifetime. Built only when <c>web_console.enabled</c>. It starts in the background so boot never
/// waits for it: refusals (cleartext basic auth or well-known credentials off loopback), TLS material, then the
/// listening socket. A console that cannot serve is an event and a line in <c>pmctl status</c>; supervision goes on
/// regardless. The HTTP server itself (Kestrel: its heartbeat thread, timers, buffers) runs only while someone browses:
/// the first connection starts it, and <c>web_console.idle_stop</c> after the last connection closed it is stopped and
/// dropped, while the socket keeps listening (docs/web.md, "An HTTP server only while someone browses").
/// </summary>
internal sealed partial class WebConsole : IAsyncDisposable
{
    public const string NoticeKey = "web console";

    /// <summary>Open connections at most; one more is closed at accept (Kestrel's own limit, moved to the accept).</summary>
    public const int MaxConnections = 512;

    /// <summary>Passwords tried against every configured hash when the console listens off loopback (audit T-02).</summary>
    private static readonly string[] WellKnownPasswords = ["admin", "password"];

    private readonly WebConsoleSettings _settings;
    private readonly string _configDirectory;
    private readonly EventJournal _journal;
    private readonly DaemonNotices _notices;
    private readonly ConsoleServices _services;
    private readonly Broadcast<DaemonEvent> _events = new(256);
    private readonly IDisposable _journalSink;
    private readonly IdleTrim _trim;
    private readonly ConsoleActivity _activity;
    private Task? _starting;
    private ConsoleCertificate? _certificate;
    private PasswordVerifier? _verifier;
    private ConsoleGate? _gate;
    private ConsoleSocket? _socket;
    private string? _lastFault;

    public WebConsole(WebConsoleSettings settings, string configDirectory, RpcMethods methods, EventJournal journal, DaemonNotices notices, string masterCgroupPath, IdleTrim trim)
    {
        _settings = settings;
        _configDirectory = configDirectory;
        _journal = journal;
        _notices = notices;
        _trim = trim;
        _activity = new ConsoleActivity(TimeProvider.System, settings.IdleStop, OnIdle);
        StatusFeed? status = null;
        status = new StatusFeed(
            async ct => (StatusResult)(await methods.InvokeAsync(RpcMethodNames.Status, null, RpcCaller.Internal, ct).ConfigureAwait(false)).Value,
            TimeProvider.System, Fault);
        var usage = new UsageSampler(masterCgroupPath, () => status.Latest?.Statuses.Select(s => s.Application) ?? [], TimeProvider.System);
        _services = new ConsoleServices(methods, journal, status, usage, _events, settings.Tls.Enabled);
        _journalSink = journal.Subscribe(e =>
        {
            _events.Publish(e);
            status.Signal();
        });
    }

    /// <summary>The address served (e.g. <c>http://127.0.0.1:9001</c>) once listening, else null.</summary>
    public string? Address { get; private set; }

    /// <summary>Completes when the console serves or has said why it does not (<see cref="Address"/> tells which).</summary>
    public Task Started => _starting ?? Task.CompletedTask;

    /// <summary>Something in the supervisor changed: open pages get a fresh status.</summary>
    public void Signal() => _services.Status.Signal();

    /// <summary>Starts serving in the background.</summary>
    public void Start()
    {
        _notices.Set(NoticeKey, "starting");
        _starting = Task.Run(StartAsync);
    }

    private async Task StartAsync()
    {
        try
        {
            Refuse();
            _verifier = new PasswordVerifier(_settings.Users, TimeProvider.System);
            WarnOnLoopbackDefaults();
            if (_settings.Tls.Enabled)
            {
                _certificate = ConsoleCertificate.LoadOrCreate(_settings.Tls, _configDirectory, _settings.Bind, DateTimeOffset.UtcNow);
                if (_certificate.Note is { } note) _journal.Append("web", null, $"web console: TLS: {note}");
            }
            _gate = new ConsoleGate(_verifier, new LoginFailureLog(_journal, TimeProvider.System), _journal, _settings.Tls.Enabled, _settings.MetricsAuth);
            _services.Stopping.Token.ThrowIfCancellationRequested();
            _socket = ConsoleSocket.Listen(_settings.Bind, _settings.Port, Fault);
            Address = $"{(_settings.Tls.Enabled ? "https" : "http")}://{_socket.EndPoint}";
            string line = $"listening on {Address}/processmaster/ (tls={(_settings.Tls.Enabled ? "on" : "off")}, mtls={(_settings.Tls.Mtls ? "on" : "off")}, " +
                          $"{_settings.Users.Count} user{(_settings.Users.Count == 1 ? "" : "s")}, {BuildInfo.ShortStamp})";
            _notices.Set(NoticeKey, null);
            _journal.Append("web", null, $"web console: {line}");
            _serving = ServeAsync(_socket, _gate);
        }
        catch (ConsoleStartException e)
        {
            NotServing(e.Message);
        }
        catch (OperationCanceledException) when (_services.Stopping.IsCancellationRequested)
        {
            // The daemon is stopping before the console was up.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _journal.Append("web", null, $"web console: internal error while starting: {e}", EventSeverity.Error);
            NotServing($"internal error while starting: {e.Message}; the daemon log has details");
        }
    }

    private void NotServing(string reason)
    {
        _notices.Set(NoticeKey, $"not serving: {reason}");
        _journal.Append("web", null, $"web console: not serving: {reason}; the supervisor keeps running", EventSeverity.Error);
    }

    /// <summary>Refusals that need no port: cleartext off loopback, well-known credentials off loopback.</summary>
    private void Refuse()
    {
        if (IPAddress.IsLoopback(_settings.Bind)) return;
        foreach (BasicAuthUser user in _settings.Users)
        {
            string? weak = WellKnownPasswords.Append(user.User).FirstOrDefault(p => PasswordVerifier.Matches(p, user.Hash));
            if (weak is not null)
            {
                string what = user.Entry == WebConsoleSettings.DefaultUserEntry ? "the default admin/admin credentials" : $"a well-known password for user \"{user.User}\"";
                throw new ConsoleStartException($"{what} on non-loopback {Endpoint()}; set web_console.auth.basic.users to your own entries (`pmctl password generate`), or bind to 127.0.0.1");
            }
        }
        if (!_settings.Tls.Enabled && !_settings.AllowPlaintextRemote)
        {
            throw new ConsoleStartException($"refusing to serve basic auth in cleartext on {Endpoint()} (not loopback); " +
                "enable web_console.tls, bind to 127.0.0.1, or set web_console.allow_plaintext_remote: true");
        }
        if (!_settings.Tls.Enabled)
            _journal.Append("web", null, $"web console: WARNING: serving basic auth in cleartext on {Endpoint()} (allow_plaintext_remote: true); passwords cross the network readable", EventSeverity.Warning);
    }

    private void WarnOnLoopbackDefaults()
    {
        if (IPAddress.IsLoopback(_settings.Bind) && _settings.UsesDefaultCredentials)
            _journal.Append("web", null, "web console: WARNING: the default admin/admin credentials are in use (loopback only); set web_console.auth.basic.users (`pmctl password generate`)", EventSeverity.Warning);
    }

    private string Endpoint() => new IPEndPoint(_settings.Bind, _settings.Port).ToString();

    private void Fault(string message)
    {
        if (Interlocked.Exchange(ref _lastFault, message) != message) _journal.Append("web", null, $"web console: {message}", EventSeverity.Warning);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.Stopping.CancelAsync().ConfigureAwait(false);
        if (_starting is not null) await _starting.ConfigureAwait(false);
        _journalSink.Dispose();
        await StopServingAsync().ConfigureAwait(false);
        _socket?.Dispose();
        _services.Status.Dispose();
        _services.Usage.Dispose();
        _services.Stopping.Dispose();
        _verifier?.Dispose();
        _certificate?.Dispose();
    }
}
