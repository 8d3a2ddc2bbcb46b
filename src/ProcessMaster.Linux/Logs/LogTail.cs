using System.Text;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Logs;

/// <summary>
/// The last lines of a log file, read backwards in 64 KiB blocks from the end until enough newlines are
/// found (or a byte cap is reached), so a 10 GB log costs a few reads. The file is opened through the
/// confined directory: a symlink, FIFO or device in its place is refused, never followed or blocked on.
/// </summary>
public static class LogTail
{
    /// <summary>Bytes read per step.</summary>
    public const int BlockBytes = 64 * 1024;

    /// <summary>The default cap on bytes examined: 4 MiB.</summary>
    public const int DefaultMaxBytes = 4 << 20;

    /// <summary>The last <paramref name="count"/> lines of <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static LogTailResult Read(ConfinedDirectory directory, string name, int count, int maxBytes = DefaultMaxBytes)
    {
        using SafeFdHandle file = directory.OpenRegularFileForReading(name);
        return Read(file, directory.PathOf(name), count, maxBytes);
    }

    /// <summary>
    /// The last <paramref name="count"/> lines of an open file. A final line without '\n' counts as a line.
    /// When the cap cuts the oldest wanted line, it is dropped and <see cref="LogTailResult.Truncated"/> is set.
    /// Bytes that are not UTF-8 are replaced (U+FFFD).
    /// </summary>
    private static LogTailResult Read(SafeFdHandle file, string subject, int count, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long end = file.Length(subject);
        if (count == 0 || end == 0) return new LogTailResult([], false);
        long floor = Math.Max(0, end - maxBytes);
        var block = new byte[BlockBytes];
        long start = end;           // the wanted text is [start, end)
        int newlines = 0;
        bool trailingNewline = false, found = false;
        for (long position = end; position > floor && !found;)
        {
            int length = (int)Math.Min(BlockBytes, position - floor);
            position -= length;
            int read = file.ReadAt(block.AsSpan(0, length), position, subject);
            for (int i = read - 1; i >= 0; i--)
            {
                if (block[i] != (byte)'\n') continue;
                if (position + i == end - 1) { trailingNewline = true; continue; }
                if (++newlines == count) { start = position + i + 1; found = true; break; }
            }
            if (!found) start = position;
        }
        bool truncated = !found && start > 0;
        var text = new byte[end - start];
        file.ReadAt(text, start, subject);
        string decoded = Encoding.UTF8.GetString(text, 0, text.Length - (trailingNewline ? 1 : 0));
        var lines = new List<string>(decoded.Split('\n'));
        if (truncated && lines.Count > 0) lines.RemoveAt(0);
        return new LogTailResult(lines, truncated);
    }
}
