using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// Follows one log file as it grows, across rotation (the name is renamed away and created again) and
/// truncation, driven by inotify — no polling. Events come from an <see cref="InotifyHub"/> (one inotify instance
/// and one thread shared by every follower of the daemon); on its thread the follower reads the file (opened
/// through the confined directory, never through a symlink) and offers complete lines to a bounded channel. A consumer that does not keep up loses lines, replaced by one
/// marker line saying how many; the follower never blocks, and capture never waits for followers (they only
/// read the file).
/// </summary>
public sealed partial class LogFollower : IDisposable, IInotifySubscriber
{
    private readonly ConfinedDirectory _directory;
    private readonly string _name;
    private readonly LogFollowOptions _options;
    private readonly Channel<string> _lines;
    private readonly InotifyHub _hub;
    private readonly bool _ownsHub;
    private bool _closed;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly List<byte> _partial = [];
    private int _directoryWatch = -1;
    private int _fileWatch = -1;
    private SafeFdHandle? _file;
    private ulong _inode;
    private long _offset;
    private long _dropped;
    private long _droppedTotal;

    private LogFollower(ConfinedDirectory directory, string name, LogFollowOptions options)
    {
        _directory = directory;
        _name = name;
        _options = options;
        _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(options.Capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _ownsHub = options.Hub is null;
        _hub = options.Hub ?? new InotifyHub();
    }

    /// <summary>New lines, oldest first. Completes when the follower is disposed.</summary>
    public ChannelReader<string> Lines => _lines.Reader;

    /// <summary>Lines dropped because the consumer was too slow.</summary>
    public long DroppedLines => Interlocked.Read(ref _droppedTotal);

    /// <summary>
    /// Starts following <paramref name="name"/> in <paramref name="directory"/> (a handle the follower keeps
    /// its own copy of). The file may not exist yet; it is picked up when created.
    /// </summary>
    public static LogFollower Start(ConfinedDirectory directory, string name, LogFollowOptions? options = null)
    {
        var follower = new LogFollower(directory.Reopen(), name, options ?? new LogFollowOptions());
        try
        {
            follower.OnHubThread(() =>
            {
                follower.WatchDirectory();
                follower.OpenCurrent(atEnd: follower._options.StartAtEnd);
                follower.ReadNew();
            });
        }
        catch
        {
            follower.Dispose();
            throw;
        }
        return follower;
    }

    /// <summary>Stops following and completes <see cref="Lines"/>.</summary>
    public void Dispose()
    {
        OnHubThread(Close);
        if (_ownsHub) _hub.Dispose();
        _directory.Dispose();
    }

    void IInotifySubscriber.OnEvent(int wd, uint mask, string name)
    {
        if ((mask & Libc.IN_Q_OVERFLOW) != 0) { _modified = _switched = true; return; }
        if (wd == _fileWatch && (mask & Libc.IN_MODIFY) != 0) _modified = true;
        if (wd == _fileWatch && (mask & (Libc.IN_MOVE_SELF | Libc.IN_DELETE_SELF)) != 0) _switched = true;
        if (wd == _directoryWatch && name == _name) _switched = true;
    }

    void IInotifySubscriber.OnBatchEnd()
    {
        if (_closed) return;
        try
        {
            HandleBatch();
        }
        catch (IOException ex)
        {
            Offer($"[processmaster: following {_directory.PathOf(_name)} stopped: {ex.Message}]");
            Close();
        }
    }

    /// <summary>Runs <paramref name="work"/> on the hub thread and waits for it; exceptions come back to the caller.</summary>
    private void OnHubThread(Action work)
    {
        if (_hub.IsHubThread)
        {
            work();
            return;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hub.Post(() =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        done.Task.GetAwaiter().GetResult();
    }

    private void Close()
    {
        if (_closed) return;
        _closed = true;
        if (_fileWatch >= 0) _hub.RemoveWatch(_fileWatch, this);
        if (_directoryWatch >= 0) _hub.RemoveWatch(_directoryWatch, this);
        _fileWatch = _directoryWatch = -1;
        _lines.Writer.TryComplete();
        _file?.Dispose();
        _file = null;
    }

    private static string ProcFd(SafeFdHandle fd) => string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{fd.Fd}");

    private void WatchDirectory()
    {
        // Watch the directory the fd holds (through /proc/self/fd), not whatever its path names now.
        _directoryWatch = Watch(ProcFd(_directory.Handle), Libc.IN_CREATE | Libc.IN_MOVED_TO | Libc.IN_MOVED_FROM | Libc.IN_DELETE, _directory.Path);
    }

    /// <summary>Opens the file now bearing the name (if any) and watches it; true when it is a different file.</summary>
    private bool OpenCurrent(bool atEnd)
    {
        if (_directory.Stat(_name) is not { Kind: EntryKind.File } status || (_file is not null && status.Inode == _inode)) return false;
        SafeFdHandle file;
        try
        {
            file = _directory.OpenRegularFileForReading(_name);
        }
        catch (IOException)
        {
            return false; // replaced between stat and open: the next directory event retries
        }
        if (_fileWatch >= 0) _hub.RemoveWatch(_fileWatch, this);
        _file?.Dispose();
        _file = file;
        _inode = ConfinedDirectory.StatOf(file, _directory.PathOf(_name)).Inode;
        _offset = atEnd ? file.Length(_directory.PathOf(_name)) : 0;
        _fileWatch = Watch(ProcFd(file), Libc.IN_MODIFY | Libc.IN_MOVE_SELF | Libc.IN_DELETE_SELF, _directory.PathOf(_name));
        return true;
    }

    private int Watch(string path, uint mask, string subject)
    {
        try
        {
            return _hub.AddWatch(path, mask, this);
        }
        catch (IOException e)
        {
            throw new IOException($"{subject}: cannot follow: {e.Message}", e);
        }
    }

    /// <summary>Reads every byte past the offset and offers each complete line; a shrunken file restarts at 0.</summary>
    private void ReadNew()
    {
        if (_file is null) return;
        long length = _file.Length(_directory.PathOf(_name));
        if (length < _offset)
        {
            _offset = 0;
            _partial.Clear();
        }
        while (_offset < length)
        {
            int n = _file.ReadAt(_buffer, _offset, _directory.PathOf(_name));
            if (n <= 0) break;
            _offset += n;
            Split(_buffer.AsSpan(0, n));
        }
    }

    private void Split(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            ReadOnlySpan<byte> piece = newline < 0 ? data : data[..newline];
            int room = _options.MaxLineBytes - _partial.Count;
            if (piece.Length >= room)
            {
                _partial.AddRange(piece[..room]);
                FlushPartial();
                data = data[room..];
                continue;
            }
            _partial.AddRange(piece);
            if (newline < 0) return;
            FlushPartial();
            data = data[(newline + 1)..];
        }
    }

    private void FlushPartial()
    {
        Offer(Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(_partial)));
        _partial.Clear();
    }

    /// <summary>Hands a line to the consumer without ever blocking; counts it as dropped when the buffer is full.</summary>
    private void Offer(string line)
    {
        if (_dropped > 0)
        {
            if (!_lines.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"[processmaster: {_dropped} lines dropped: this follower reads slower than the log grows]")))
            {
                _dropped++;
                Interlocked.Increment(ref _droppedTotal);
                return;
            }
            _dropped = 0;
        }
        if (_lines.Writer.TryWrite(line)) return;
        _dropped++;
        Interlocked.Increment(ref _droppedTotal);
    }
}
