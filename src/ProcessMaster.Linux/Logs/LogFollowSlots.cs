using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// The one bound on following logs (N-16), for every client of the daemon: at most <see cref="MaxSessions"/>
/// concurrent follow sessions, and at most <see cref="MaxFiles"/> followed files across them (each followed file
/// holds a directory fd and a file fd, so a few hundred "follow everything" sessions could otherwise exhaust the
/// daemon's fd limit and make every spawn fail). A session beyond either bound is refused at once with a reason; a
/// lease returns its slot and its files when disposed.
/// </summary>
public sealed class LogFollowSlots
{
    private readonly Lock _lock = new();
    private int _sessions;
    private int _files;

    /// <summary>Allows at most <paramref name="maxSessions"/> sessions following <paramref name="maxFiles"/> files together.</summary>
    public LogFollowSlots(int maxSessions, int maxFiles)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSessions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFiles);
        MaxSessions = maxSessions;
        MaxFiles = maxFiles;
    }

    /// <summary>Most concurrent sessions.</summary>
    public int MaxSessions { get; }

    /// <summary>Most files followed at once, across sessions.</summary>
    public int MaxFiles { get; }

    /// <summary>Sessions holding a slot.</summary>
    public int InUse
    {
        get
        {
            lock (_lock) return _sessions;
        }
    }

    /// <summary>Files followed now.</summary>
    public int FilesInUse
    {
        get
        {
            lock (_lock) return _files;
        }
    }

    /// <summary>Takes a slot for a session following <paramref name="files"/> files; false with the reason when a bound would be passed.</summary>
    public bool TryAcquire(int files, [NotNullWhen(true)] out IDisposable? lease, out string refusal)
    {
        lease = null;
        lock (_lock)
        {
            if (_sessions >= MaxSessions)
            {
                refusal = string.Create(CultureInfo.InvariantCulture,
                    $"too many concurrent log-follow sessions ({MaxSessions} open, the limit); close one (Ctrl-C another 'pmctl logs -f') and try again");
                return false;
            }
            if (_files + files > MaxFiles)
            {
                refusal = string.Create(CultureInfo.InvariantCulture,
                    $"too many log files followed at once ({_files} followed now, this session needs {files}, the limit is {MaxFiles}); follow one service ('pmctl logs -f NAME') or close another follower, then try again");
                return false;
            }
            _sessions++;
            _files += files;
        }
        refusal = "";
        lease = new Lease(this, files);
        return true;
    }

    private void Release(int files)
    {
        lock (_lock)
        {
            _sessions--;
            _files -= files;
        }
    }

    private sealed class Lease(LogFollowSlots owner, int files) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) owner.Release(files);
        }
    }
}
