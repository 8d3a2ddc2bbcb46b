using System.Net;
using System.Net.Sockets;
using System.Text;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Reliability;

/// <summary>
/// The web console's port under abuse (issue 16 §3, the socket's own floods are in Rpc/): a flood of malformed HTTP
/// requests each gets a 400 or a clean close, and slow-loris clients dripping a header are cut by the header deadline;
/// meanwhile an authenticated status over HTTP and pmctl are answered, and the daemon supervises on.
/// </summary>
public sealed class WebFloodTests : IAsyncLifetime
{
    private const int Lorises = 40;
    private readonly DaemonInstance _daemon = DaemonInstance.Create(ConsoleSetup.Yaml(users: [ConsoleSetup.Entry(ConsoleSetup.User, ConsoleSetup.Password)]));
    private readonly ReliabilityRun _run = ReliabilityRun.FromEnvironment(ciIterations: 1);
    private readonly List<Socket> _sockets = [];
    private Uri _address = null!;

    public async ValueTask InitializeAsync()
    {
        _daemon.WriteService("web", $"process:\n  working_directory: {_daemon.WorkDir("web")}\n  start_command: [\"/bin/sleep\", \"100000\"]\n");
        await _daemon.StartAsync();
        _address = await ConsoleSetup.AddressAsync(_daemon);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Socket socket in _sockets) socket.Dispose();
        await _daemon.DisposeAsync();
    }

    [Fact]
    public async Task MalformedRequestFlood_EachRefused_ConsoleAndSocketAnswerAfterwards()
    {
        int requests = _run.IsLong ? 10_000 : 1_000;
        int refused = 0;
        // Eight connections at a time, each one malformed request: the flood is as fast as the daemon takes it.
        await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (i, ct) =>
        {
            using Socket socket = await ConnectAsync(ct);
            byte[] garbage = Encoding.ASCII.GetBytes((i % 3) switch
            {
                0 => $"GARBAGE {i} \u0001\u0002\r\n\r\n",
                1 => "GET /processmaster/status HTTP/9.9\r\nHost: x\r\n\r\n",
                _ => $"POST /processmaster/rpc HTTP/1.1\r\nHost: x\r\nContent-Length: -{i}\r\n\r\n",
            });
            await socket.SendAsync(garbage, SocketFlags.None, ct);
            string reply = await ReadAllAsync(socket, ct);
            Assert.True(reply.Length == 0 || reply.StartsWith("HTTP/1.1 4", StringComparison.Ordinal) || reply.StartsWith("HTTP/1.1 505", StringComparison.Ordinal), $"request {i} got: {reply[..Math.Min(200, reply.Length)]}");
            Interlocked.Increment(ref refused);
        });
        Assert.Equal(requests, refused);
        await AssertServingAsync();
    }

    [Fact]
    public async Task SlowLorisClients_AreCutAtTheHeaderDeadline_ConsoleAnswersMeanwhile()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        for (int i = 0; i < Lorises; i++)
        {
            Socket socket = await ConnectAsync(ct);
            _sockets.Add(socket);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /processmaster/status HTTP/1.1\r\nHost: x\r\n"), SocketFlags.None, ct);
        }
        using var dripping = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task drip = DripAsync(dripping.Token);

        await AssertServingAsync();

        // Every loris is closed by the daemon (Kestrel's RequestHeadersTimeout), however long it keeps dripping.
        Task<string>[] closes = [.. _sockets.Select(s => ReadAllAsync(s, ct))];
        await Task.WhenAll(closes).WaitAsync(TimeSpan.FromSeconds(120), ct);
        await dripping.CancelAsync();
        await drip;
        await AssertServingAsync();
    }

    /// <summary>One header byte per loris every 500 ms: the fault's pace, not a wait for a condition.</summary>
    private async Task DripAsync(CancellationToken ct)
    {
        byte[] one = "X"u8.ToArray();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                foreach (Socket socket in _sockets)
                {
                    try
                    {
                        await socket.SendAsync(one, SocketFlags.None, ct);
                    }
                    catch (SocketException)
                    {
                        // Cut already: that is the point.
                    }
                }
                await Task.Delay(500, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task AssertServingAsync()
    {
        using HttpClient http = ConsoleSetup.Client(_address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "status");
        request.Headers.Authorization = ConsoleSetup.Basic();
        using HttpResponseMessage response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        CommandResult status = await _daemon.PmctlAsync("status", "web");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("RUNNING", (await ServiceStatus.ReadAsync(_daemon, "web")).Phase);
    }

    private async Task<Socket> ConnectAsync(CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _address.Port), ct);
        return socket;
    }

    /// <summary>Everything the server sends until it closes (a reset counts as a close).</summary>
    private static async Task<string> ReadAllAsync(Socket socket, CancellationToken ct)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
        return text.ToString();
    }
}
