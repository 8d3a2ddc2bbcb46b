using System.Globalization;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Systemd;

/// <summary>
/// Whether a descriptor is the journal stream systemd set up (systemd.exec(5), <c>$JOURNAL_STREAM</c>): then each line
/// written to it may start with a syslog priority, <c>&lt;3&gt;</c> error, <c>&lt;4&gt;</c> warning,
/// <c>&lt;6&gt;</c> info (sd-daemon(3)). Merely inheriting the variable (stderr redirected elsewhere) does not count:
/// the device and inode of the descriptor must match.
/// </summary>
public static class JournalStream
{
    /// <summary>True when <paramref name="journalStream"/> (<c>DEVICE:INODE</c>) names the file open on <paramref name="fd"/>.</summary>
    public static bool Matches(string? journalStream, SafeFdHandle fd)
    {
        if (TryParse(journalStream) is not { } expected) return false;
        EntryStatus status;
        try
        {
            status = ConfinedDirectory.StatOf(fd, "stderr");
        }
        catch (IOException)
        {
            return false;
        }
        return expected.Device == EncodeDevice(status.Device.Major, status.Device.Minor) && expected.Inode == status.Inode;
    }

    /// <summary>True when the daemon's stderr (fd 2) is the journal stream <paramref name="journalStream"/>.</summary>
    public static bool IsStderr(string? journalStream)
    {
        using var stderr = new SafeFdHandle(2, ownsHandle: false);
        return Matches(journalStream, stderr);
    }

    /// <summary>Parses <c>DEVICE:INODE</c> (decimal, as systemd writes it); null when malformed.</summary>
    public static (ulong Device, ulong Inode)? TryParse(string? value)
    {
        if (value is null) return null;
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return null;
        return ulong.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out ulong device)
               && ulong.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode)
            ? (device, inode)
            : null;
    }

    /// <summary>glibc's <c>makedev(major, minor)</c>: the <c>st_dev</c> value systemd prints.</summary>
    public static ulong EncodeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
}
