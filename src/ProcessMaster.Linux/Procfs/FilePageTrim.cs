using System.Globalization;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Procfs;

/// <summary>
/// Unmaps the resident pages of this process's clean, read-only, private file mappings (the executable's code and
/// read-only data, the shared libraries): start-up touches code and data all over an 18 MB NativeAOT image that an idle
/// daemon never runs again, and each stays in RSS while mapped. <c>MADV_DONTNEED</c> on such a mapping only drops the
/// page-table entries: the pages stay in the page cache and a later access maps them again (a minor fault) with the
/// same content. A mapping with any private (copy-on-write) page — relocated read-only data — is never touched, since
/// dropping those pages would bring back the file's unrelocated bytes.
/// </summary>
public static class FilePageTrim
{
    /// <summary>Drops what it can; returns the KiB that were resident in the mappings it dropped (0 when /proc is unreadable).</summary>
    public static long DropCleanFileMappings()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/smaps");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        long dropped = 0;
        Mapping? current = null;
        foreach (string line in lines)
        {
            if (Mapping.TryParseHeader(line) is { } header)
            {
                dropped += Drop(current);
                current = header;
            }
            else if (current is not null)
            {
                current.Read(line);
            }
        }
        return dropped + Drop(current);
    }

    private static long Drop(Mapping? m)
    {
        if (m is null || !m.Eligible || m.RssKib == 0) return 0;
        return Libc.Madvise((nint)m.Start, (nuint)(m.End - m.Start), Libc.MADV_DONTNEED) == 0 ? m.RssKib : 0;
    }

    private sealed class Mapping
    {
        public ulong Start { get; private init; }
        public ulong End { get; private init; }
        private string Permissions { get; init; } = "";
        private string Path { get; init; } = "";
        public long RssKib { get; private set; }
        private long AnonymousKib { get; set; } = -1;

        /// <summary>Read-only (not writable), private, a real file, and no copy-on-write page.</summary>
        public bool Eligible =>
            Permissions.Length == 4 && Permissions[0] == 'r' && Permissions[1] == '-' && Permissions[3] == 'p'
            && Path.StartsWith('/') && !Path.EndsWith(" (deleted)", StringComparison.Ordinal) && AnonymousKib == 0;

        /// <summary>"start-end perms offset dev inode [path]", or null for a field line.</summary>
        public static Mapping? TryParseHeader(string line)
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash <= 0 || space <= dash) return null;
            if (!ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                || !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end))
                return null;
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            return new Mapping
            {
                Start = start,
                End = end,
                Permissions = fields.Length > 1 ? fields[1] : "",
                Path = fields.Length > 5 ? fields[5].Trim() : "",
            };
        }

        public void Read(string line)
        {
            if (line.StartsWith("Rss:", StringComparison.Ordinal)) RssKib = Kib(line);
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal)) AnonymousKib = Kib(line);
        }

        private static long Kib(string line)
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kib) ? kib : -1;
        }
    }
}
