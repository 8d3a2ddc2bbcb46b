using System.Net.Sockets;
using System.Text;

namespace ProcessMaster.Linux.Systemd;

/// <summary>
/// The service manager's notification socket (sd_notify(3) without libsystemd): one <c>AF_UNIX</c> datagram per
/// message, newline-separated <c>KEY=VALUE</c> assignments such as <c>READY=1</c>, <c>STATUS=...</c>,
/// <c>STOPPING=1</c>, <c>WATCHDOG=1</c>. The address is a file system path, or an abstract name written with a
/// leading <c>@</c>.
/// </summary>
public sealed class NotifySocket : IDisposable
{
    /// <summary>Longest <c>sun_path</c> (108 bytes including the terminating NUL).</summary>
    public const int MaxAddressBytes = 107;

    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;

    private NotifySocket(string address, UnixDomainSocketEndPoint endpoint)
    {
        Address = address;
        _endpoint = endpoint;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>The address as given (<c>/run/systemd/notify</c>, or <c>@name</c> for an abstract socket).</summary>
    public string Address { get; }

    /// <summary>
    /// Validates <paramref name="address"/> (the value of <c>NOTIFY_SOCKET</c>) and opens a datagram socket for it;
    /// null with <paramref name="problem"/> saying why when the address cannot be a notification socket.
    /// </summary>
    public static NotifySocket? TryOpen(string address, out string? problem)
    {
        problem = address.Length == 0 ? "it is empty"
            : address[0] is not ('/' or '@') ? $"\"{address}\" is neither an absolute path nor an abstract name (@...)"
            : address.Length == 1 ? $"\"{address}\" names no socket"
            : address.Contains('\0', StringComparison.Ordinal) ? "it contains a NUL byte"
            : Encoding.UTF8.GetByteCount(address) > MaxAddressBytes ? $"\"{address}\" is longer than {MaxAddressBytes} bytes"
            : null;
        if (problem is not null) return null;
        // An abstract address starts with a NUL byte in sun_path; systemd writes it with '@'.
        var endpoint = new UnixDomainSocketEndPoint(address[0] == '@' ? "\0" + address[1..] : address);
        return new NotifySocket(address, endpoint);
    }

    /// <summary>Sends one message (assignments separated by newlines); false with <paramref name="error"/> when the manager cannot be reached.</summary>
    public bool TrySend(string message, out string? error)
    {
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), SocketFlags.None, _endpoint);
            error = null;
            return true;
        }
        catch (SocketException e)
        {
            error = $"{Address}: sendto failed: {e.Message} ({e.SocketErrorCode})";
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
