using System.Text;

namespace ProcessMaster.Daemon.Events;

/// <summary>
/// The daemon's own log (<c>global.log_file</c>): every event as a line, written by a background task so
/// that appending an event never waits for the disk. Rotated at <see cref="RotateBytes"/>, keeping
/// <see cref="Backups"/> numbered backups. If the file cannot be written, events still reach stderr and
/// <c>pmctl events</c>; the failure is reported on stderr once. Lines dropped under a flood are counted and the
/// count is written when the file takes lines again.
/// </summary>
internal sealed class DaemonLogFile : IAsyncDisposable
{
    private readonly EventLineQueue _lines = new();
    private readonly string _path;
    private readonly long _rotateBytes;
    private readonly int _backups;
    private readonly Task _writer;

    /// <summary>Default rotation size (10 MiB), as the original.</summary>
    public const long RotateBytes = 10 * 1024 * 1024;

    /// <summary>Default number of backups.</summary>
    public const int Backups = 10;

    public DaemonLogFile(string path, long rotateBytes = RotateBytes, int backups = Backups)
    {
        _path = Path.GetFullPath(path);
        _rotateBytes = rotateBytes;
        _backups = backups;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues one line (never blocks; under a flood the oldest queued lines are dropped).</summary>
    public void Append(string line) => _lines.Append(line);

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
                    long dropped = _lines.TakeDropped();
                    string text = dropped > 0 ? EventLineQueue.DroppedNotice(DateTimeOffset.Now, dropped, "the daemon log") + "\n" + line : line;
                    byte[] bytes = Encoding.UTF8.GetBytes(text + "\n");
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
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        return new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 64 * 1024);
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
        _lines.Complete();
        await _writer.ConfigureAwait(false);
    }
}
