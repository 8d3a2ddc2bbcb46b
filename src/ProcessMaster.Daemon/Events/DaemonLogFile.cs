using System.Text;
using System.Threading.Channels;

namespace ProcessMaster.Daemon.Events;

/// <summary>
/// The daemon's own log (<c>global.log_file</c>): every event as a line, written by a background task so
/// that appending an event never waits for the disk. Rotated at <see cref="RotateBytes"/>, keeping
/// <see cref="Backups"/> numbered backups. If the file cannot be written, events still reach stderr and
/// <c>pmctl events</c>; the failure is reported on stderr once.
/// </summary>
internal sealed class DaemonLogFile : IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });
    private readonly string _path;
    private readonly long _rotateBytes;
    private readonly int _backups;
    private readonly Task _writer;

    /// <summary>Default rotation size (10 MiB), as the original.</summary>
    public const long RotateBytes = 10 * 1024 * 1024;

    /// <summary>Default number of backups.</summary>
    public const int Backups = 10;

    /// <summary>Mode of a log directory the daemon creates: 0750 (events name services, users and paths).</summary>
    public const UnixFileMode LogDirectoryMode = (UnixFileMode)Linux.Files.UnixMode.Mode0750;

    /// <summary>Mode of the log file and its backups: 0640.</summary>
    private const UnixFileMode LogFileMode = (UnixFileMode)Linux.Files.UnixMode.Mode0640;

    public DaemonLogFile(string path, long rotateBytes = RotateBytes, int backups = Backups)
    {
        _path = Path.GetFullPath(path);
        _rotateBytes = rotateBytes;
        _backups = backups;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues one line (never blocks; under a flood the oldest queued lines are dropped).</summary>
    public void Append(string line) => _lines.Writer.TryWrite(line);

    private async Task WriteLoopAsync()
    {
        FileStream? file = null;
        bool failed = false;
        try
        {
            await foreach (string line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    file ??= Open();
                    byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
                    if (file.Length > 0 && file.Length + bytes.Length > _rotateBytes)
                    {
                        await file.DisposeAsync().ConfigureAwait(false);
                        file = null;
                        Rotate();
                        file = Open();
                    }
                    file.Write(bytes);
                    if (_lines.Reader.Count == 0) file.Flush();
                    failed = false;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    if (!failed) Console.Error.WriteLine($"processmaster: daemon log {_path}: {e.Message}; events still go to stderr and `pmctl events`");
                    failed = true;
                    if (file is not null) await file.DisposeAsync().ConfigureAwait(false);
                    file = null;
                }
            }
        }
        finally
        {
            if (file is not null) await file.DisposeAsync().ConfigureAwait(false);
        }
    }

    private FileStream Open()
    {
        string directory = Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, LogDirectoryMode);
            File.SetUnixFileMode(directory, LogDirectoryMode); // exactly, whatever the umask
        }
        var file = new FileStream(_path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite,
            BufferSize = 64 * 1024,
            UnixCreateMode = LogFileMode,
        });
        if (File.GetUnixFileMode(file.SafeFileHandle) != LogFileMode) File.SetUnixFileMode(file.SafeFileHandle, LogFileMode);
        return file;
    }

    private void Rotate()
    {
        File.Delete($"{_path}.{_backups}");
        for (int i = _backups - 1; i >= 1; i--)
            if (File.Exists($"{_path}.{i}")) File.Move($"{_path}.{i}", $"{_path}.{i + 1}", overwrite: true);
        File.Move(_path, $"{_path}.1", overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }
}
