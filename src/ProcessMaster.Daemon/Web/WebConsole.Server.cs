using System.Globalization;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Web.Security;

namespace ProcessMaster.Daemon.Web;

/// <summary>The HTTP server on demand: started by the first connection, stopped after <c>web_console.idle_stop</c> without one.</summary>
internal sealed partial class WebConsole
{
    /// <summary>The event when a connection started the HTTP server.</summary>
    public const string ServerStartedText = "web console: HTTP server started";

    /// <summary>The event when the HTTP server was stopped for want of connections.</summary>
    public const string ServerStoppedText = "web console: HTTP server stopped";

    /// <summary>One start or stop of the HTTP server at a time; a connection is delivered only to a running server.</summary>
    private readonly SemaphoreSlim _run = new(1, 1);
    private readonly Lock _idleLock = new();
    private Task? _serving;
    private Task? _idleStop;
    private ConsoleServer? _server;

    /// <summary>
    /// Accepts for the daemon's life. The accept waits in the runtime's socket engine (no thread of its own, no timer);
    /// the first connection after a stop builds and starts Kestrel, then every connection is delivered to it.
    /// </summary>
    private async Task ServeAsync(ConsoleSocket socket, ConsoleGate gate)
    {
        CancellationToken stopping = _services.Stopping.Token;
        try
        {
            while (true)
            {
                Socket client = await socket.AcceptAsync(stopping).ConfigureAwait(false);
                if (_activity.Open >= MaxConnections)
                {
                    client.Dispose();
                    continue;
                }
                _activity.Opened(); // before the lock: an idle stop waiting for it sees this connection and stands down
                bool delivered = false;
                await _run.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    _server ??= await StartServerAsync(socket, gate, client, stopping).ConfigureAwait(false);
                    delivered = _server.Transport.Deliver(client);
                }
                finally
                {
                    _run.Release();
                    if (!delivered)
                    {
                        client.Dispose();
                        _activity.Closed();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The daemon is stopping.
        }
        catch (Exception e)
        {
            _journal.Append("web", null, $"web console: internal error while starting the HTTP server: {e}", EventSeverity.Error);
            NotServing($"internal error while starting the HTTP server: {e.Message}; the daemon log has details");
            socket.Dispose(); // clients see a refused connection, as status says
        }
    }

    private async Task<ConsoleServer> StartServerAsync(ConsoleSocket socket, ConsoleGate gate, Socket first, CancellationToken stopping)
    {
        var transport = new ConsoleTransport(socket.EndPoint);
        WebApplication? app = null;
        try
        {
            app = ConsoleHost.Build(transport, _certificate, _settings.Tls.Mtls, gate, _services, _activity.Closed);
            await app.StartAsync(stopping).ConfigureAwait(false);
        }
        catch
        {
            if (app is not null) await app.DisposeAsync().ConfigureAwait(false);
            transport.Dispose();
            throw;
        }
        _journal.Append("web", null, $"{ServerStartedText} for a connection from {first.RemoteEndPoint}");
        return new ConsoleServer(app, transport);
    }

    /// <summary>The idle timer fired (timer thread): stop the server unless a connection came meanwhile.</summary>
    private void OnIdle()
    {
        lock (_idleLock)
            _idleStop = _idleStop is { IsCompleted: false } running ? running.ContinueWith(_ => StopIfIdleAsync(), TaskScheduler.Default).Unwrap() : StopIfIdleAsync();
    }

    private async Task StopIfIdleAsync()
    {
        await _run.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_server is not { } server || !_activity.IsIdle || _services.Stopping.IsCancellationRequested) return;
            _server = null;
            await server.StopAsync().ConfigureAwait(false);
            string after = _settings.IdleStop is { } idle ? idle.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s" : "?";
            _journal.Append("web", null, $"{ServerStoppedText} after {after} without connections; still listening on {Address}/processmaster/, the next connection starts it again");
        }
        catch (Exception e)
        {
            _journal.Append("web", null, $"web console: internal error while stopping the idle HTTP server: {e}", EventSeverity.Warning);
        }
        finally
        {
            _run.Release();
        }
        _trim.Poke(); // the quiet that follows gives Kestrel's memory back (Hosting/IdleTrim)
    }

    /// <summary>Daemon shutdown: the accept loop ends, a running server stops gracefully (open streams end on Stopping).</summary>
    private async Task StopServingAsync()
    {
        if (_serving is not null) await _serving.ConfigureAwait(false);
        await _run.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_server is { } server)
            {
                _server = null;
                await server.StopAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _run.Release();
        }
        _activity.Dispose();
        Task? idleStop;
        lock (_idleLock) idleStop = _idleStop;
        if (idleStop is not null) await idleStop.ConfigureAwait(false);
    }

    /// <summary>One run of the HTTP server.</summary>
    private sealed record ConsoleServer(WebApplication App, ConsoleTransport Transport)
    {
        /// <summary>Stops gracefully (5 s for open connections), then frees Kestrel and its buffers.</summary>
        public async Task StopAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await App.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Open connections were cut.
            }
            await App.DisposeAsync().ConfigureAwait(false);
            Transport.Dispose();
        }
    }
}
