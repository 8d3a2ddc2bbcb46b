using System.Runtime.Versioning;
using ProcessMaster.Cli;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Testing;

namespace ProcessMaster.Rpc.Tests.Support;

/// <summary>pmctl run in-process against a real <see cref="DaemonRpcServer"/> on a temp socket, backed by the fake supervisor.</summary>
[SupportedOSPlatform("linux")]
internal sealed class PmctlHarness : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DaemonRpcServer _server;

    public PmctlHarness()
    {
        SocketPath = _dir.File("pm.sock");
        _server = new DaemonRpcServer(Supervisor, new UnixSocketOptions(SocketPath));
        _server.Start();
    }

    public FakeSupervisor Supervisor { get; } = new();
    public string SocketPath { get; }
    public string Directory => _dir.Path;

    /// <summary>Runs pmctl with <c>--sock</c> prepended unless <paramref name="withSock"/> is false.</summary>
    public static async Task<CommandResult> RunWithAsync(string[] args, IReadOnlyDictionary<string, string>? env = null, string stdin = "")
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var console = new PmctlConsole(output, error, new StringReader(stdin), InputIsTerminal: false,
            name => env is not null && env.TryGetValue(name, out string? value) ? value : null)
        {
            Zone = TimeZoneInfo.Utc,
        };
        int exit = await Pmctl.RunAsync(args, console, TestContext.Current.CancellationToken);
        return new CommandResult(exit, output.ToString(), error.ToString());
    }

    public Task<CommandResult> RunAsync(params string[] args) => RunWithAsync(["--sock", SocketPath, .. args]);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }
}
