using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using ProcessMaster.Protocol.Framing;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// The daemon's listening unix socket. Bind rules (docs/rpc.md "Socket"): a parent directory the daemon creates is
/// 0700, an existing one that another user could write is warned about; a socket file left by a dead daemon is
/// replaced, a live daemon on it is detected and refused, anyone else listening there is named (<see cref="SocketPathGuard"/>); the socket is
/// bound inside a private 0700 directory, given its mode (and owner/group, root only) and only then renamed into
/// place, so it is never reachable with looser permissions; the file is removed on dispose.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class UnixSocketListener : IAsyncDisposable
{
    /// <summary>sun_path is 108 bytes including the terminating NUL.</summary>
    public const int MaxPathBytes = 107;

    private const int Backlog = 128;

    private readonly Socket _socket;
    private readonly Action<string>? _log;
    private readonly string _openFilesLimit = OpenFilesLimit(); // read now: under EMFILE /proc cannot be opened
    private int _disposed;
    private int _starved;

    private UnixSocketListener(Socket socket, string path, Action<string>? log)
    {
        _socket = socket;
        Path = path;
        _log = log;
    }

    /// <summary>The socket path.</summary>
    public string Path { get; }

    /// <summary>Binds and listens. Throws <see cref="SocketSetupException"/> with an operator-facing message.</summary>
    /// <param name="options">Path, mode, owner, group.</param>
    /// <param name="ownership">Applies owner/group; null = <see cref="LinuxSocketOwnership"/>.</param>
    /// <param name="warn">Receives non-fatal warnings (a directory another user can write) and, later, accept failures
    /// for want of descriptors (once per streak, and when accepting works again).</param>
    public static UnixSocketListener Bind(UnixSocketOptions options, ISocketOwnership? ownership = null, Action<string>? warn = null)
    {
        string path = System.IO.Path.GetFullPath(options.Path);
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw new SocketSetupException(
                $"unix socket {path}: path is {Encoding.UTF8.GetByteCount(path)} bytes; the limit is {MaxPathBytes}; choose a shorter unix_socket.path");
        }
        if ((options.Owner is not null || options.Group is not null) && !Environment.IsPrivilegedProcess)
        {
            throw new SocketSetupException(
                $"unix socket {path}: unix_socket.owner/group configured but the daemon is not running as root; cannot chown the socket; " +
                "run the daemon as root or set unix_socket.owner and unix_socket.group to null");
        }

        string directory = System.IO.Path.GetDirectoryName(path)!;
        PrepareDirectory(directory, path, warn);
        RemoveStale(path);

        string stagingDirectory = System.IO.Path.Combine(directory, $".pm-bind-{Guid.NewGuid():N}"[..16]);
        string staged = System.IO.Path.Combine(stagingDirectory, "s");
        bool staging = Encoding.UTF8.GetByteCount(staged) <= MaxPathBytes;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (staging) Directory.CreateDirectory(stagingDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string bindPath = staging ? staged : path;
            try
            {
                socket.Bind(new UnixDomainSocketEndPoint(bindPath));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new SocketSetupException($"unix socket {path}: bind failed: the path was taken while starting; is another processmaster starting? retry", e);
            }
            File.SetUnixFileMode(bindPath, options.Mode);
            if (options.Owner is not null || options.Group is not null)
            {
                (ownership ?? new LinuxSocketOwnership()).Apply(bindPath, options.Owner, options.Group);
            }
            if (staging) File.Move(staged, path, overwrite: true);
            socket.Listen(Backlog);
            return new UnixSocketListener(socket, path, warn);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException)
        {
            socket.Dispose();
            throw new SocketSetupException($"unix socket {path}: bind failed: {e.Message}; check that the directory is writable by the daemon", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        finally
        {
            if (staging) TryDeleteDirectory(stagingDirectory);
        }
    }

    /// <summary>Waits for the next client; null once the listener is disposed. Transient accept failures are skipped.</summary>
    public async ValueTask<AcceptedConnection?> AcceptAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (_starved > 0)
                {
                    _log?.Invoke($"unix socket {Path}: accepting connections again after {_starved} attempts failed for want of descriptors");
                    _starved = 0;
                }
            }
            catch (Exception e) when (e is ObjectDisposedException || (e is SocketException s && s.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted && Volatile.Read(ref _disposed) != 0))
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // Out of fds (EMFILE/ENFILE, audit N-17): said once per streak; new clients wait in the backlog.
                if (_starved++ == 0)
                    _log?.Invoke($"unix socket {Path}: cannot accept a connection: {e.Message} ({e.SocketErrorCode}); the daemon is out of file descriptors " +
                                 $"(RLIMIT_NOFILE {_openFilesLimit}); new clients wait until descriptors are free; retrying every 100 ms");
                // Wait a little for connections to close rather than spin (kestrel does the same).
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (SocketException)
            {
                // A client that reset before we accepted it (ECONNABORTED): never stops the listener.
                continue;
            }
            return new AcceptedConnection(client, ReadPeer(client));
        }
    }

    /// <summary>The daemon's RLIMIT_NOFILE as <c>/proc/self/limits</c> shows it: <c>soft 1024, hard 524288</c>.</summary>
    private static string OpenFilesLimit()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            string[] fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            return fields.Length >= 5 ? $"soft {fields[3]}, hard {fields[4]}" : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The peer's pid/uid/gid from <c>SO_PEERCRED</c>.</summary>
    public static RpcCaller ReadPeer(Socket client) => RpcCaller.FromPeer(PeerCredentials.TryRead(client));

    /// <summary>Stops listening and removes the socket file.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _socket.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the next start replaces a stale file.
        }
        return ValueTask.CompletedTask;
    }

    private static void PrepareDirectory(string directory, string path, Action<string>? warn)
    {
        if (!Directory.Exists(directory))
        {
            try
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SocketSetupException($"unix socket {path}: cannot create directory {directory}: {e.Message}; create it or choose another unix_socket.path", e);
            }
            return;
        }
        foreach (string warning in SocketPathGuard.DirectoryWarnings(directory, Linux.Credentials.Privileges.EffectiveUid)) warn?.Invoke(warning);
    }

    private static void RemoveStale(string path)
    {
        var info = new FileInfo(path);
        if (Directory.Exists(path))
        {
            throw new SocketSetupException($"unix socket {path}: a directory is in the way; remove it or choose another unix_socket.path");
        }
        if (!info.Exists) return;
        if (info.LinkTarget is not null)
        {
            throw new SocketSetupException($"unix socket {path}: is a symbolic link; refusing to replace it; remove it or choose another unix_socket.path");
        }
        SocketPathGuard.RefuseIfHeld(path, Linux.Credentials.Privileges.EffectiveUid);
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SocketSetupException($"unix socket {path}: failed to remove the stale socket: {e.Message}; remove it by hand", e);
        }
    }

    /// <summary>True when something accepts connections on <paramref name="path"/>.</summary>
    public static bool IsAccepting(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leftover staging directory: harmless, private (0700).
        }
    }
}
