using System.Net.Sockets;
using System.Text;

namespace ProcessMaster.Integration.Tests.Systemd;

/// <summary>A datagram socket the test owns and hands the daemon as <c>NOTIFY_SOCKET</c>, playing systemd's part.</summary>
internal sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> _received = [];

    public NotifyListener(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
    }

    public string Path { get; }

    /// <summary>Every datagram so far, in order.</summary>
    public IReadOnlyList<string> Received => _received;

    /// <summary>Receives datagrams until one holds the line <paramref name="assignment"/> (e.g. <c>READY=1</c>); returns the first such.</summary>
    public async Task<string> WaitForAsync(string assignment, TimeSpan timeout) => (await WaitForCountAsync(assignment, 1, timeout))[0];

    /// <summary>Receives datagrams until <paramref name="count"/> of them hold the line <paramref name="assignment"/>; returns those.</summary>
    public async Task<IReadOnlyList<string>> WaitForCountAsync(string assignment, int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                List<string> matching = _received.Where(m => m.Split('\n').Contains(assignment)).ToList();
                if (matching.Count >= count) return matching;
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                _received.Add(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"not {count} notifications with {assignment} within {timeout}; received: [{string.Join(" | ", _received)}]");
        }
    }

    public void Dispose() => _socket.Dispose();
}
