using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Testing;

namespace ProcessMaster.Rpc.Tests.Support;

/// <summary>A <see cref="JsonRpcConnection"/> over an in-memory pipe, served in the background, with a fake supervisor.</summary>
internal sealed class ConnectionHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public ConnectionHarness(RpcServerOptions? options = null, FakeSupervisor? supervisor = null, long pipeLimit = 1024 * 1024, ProcessMaster.Protocol.Framing.LineBudget? budget = null, RpcCaller? caller = null)
    {
        Supervisor = supervisor ?? new FakeSupervisor();
        (DuplexStream server, DuplexStream client) = DuplexStream.CreatePair(pipeLimit);
        Connection = new JsonRpcConnection(server, new RpcMethods(Supervisor), caller ?? RpcCaller.Internal, options, budget, line => Log.Enqueue(line));
        Serving = Task.Run(() => Connection.RunAsync(_stop.Token));
        Client = new DaemonSocket(client);
    }

    public FakeSupervisor Supervisor { get; }

    /// <summary>What the connection logged (the daemon log's "rpc" lines).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();
    public JsonRpcConnection Connection { get; }
    public DaemonSocket Client { get; }

    /// <summary>Completes when the server side ended the connection.</summary>
    public Task Serving { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Serving.WaitAsync(TimeSpan.FromSeconds(30));
        await Connection.DisposeAsync();
        await Client.DisposeAsync();
        _stop.Dispose();
    }
}
