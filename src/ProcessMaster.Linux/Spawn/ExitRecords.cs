using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// Where exit keepers record how a service's main process ended (<c>Native/pm_keeper.h</c>): the directory
/// <c>exits/</c> of the daemon's state directory, owned by the daemon and closed to everyone else (0700), one file
/// per app (<c>exits/APP</c>: <c>pid=N code=C</c> or <c>pid=N signal=S</c>). A keeper is the parent of the main
/// process and sits outside the app's cgroup, in the daemon's leaf; it records the status, then exits with it. While
/// the daemon runs it reaps the keeper and sees the status at once; after a daemon restart the record tells the new
/// daemon how a run that ended meanwhile ended. Also holds the standalone keeper program (a sealed memfd).
/// </summary>
public sealed class ExitRecords : IDisposable
{
    /// <summary>The directory's name inside the state directory.</summary>
    public const string DirectoryName = "exits";

    /// <summary>A record is one short line; anything bigger is not one.</summary>
    private const int MaxRecordBytes = 128;

    private readonly ConfinedDirectory _directory;

    private ExitRecords(ConfinedDirectory directory, SafeFdHandle? keeperProgram, string? keeperProblem)
    {
        _directory = directory;
        KeeperProgram = keeperProgram;
        KeeperProblem = keeperProblem;
    }

    /// <summary>The directory's path (for messages).</summary>
    public string Path => _directory.Path;

    /// <summary>
    /// Why the standalone keeper program is not available (e.g. <c>vm.memfd_noexec</c> refuses executable memfds);
    /// keepers then wait in a copy of the daemon's image: correct, but each costs more memory. Null when available.
    /// </summary>
    public string? KeeperProblem { get; }

    internal SafeFdHandle DirectoryHandle => _directory.Handle;

    internal SafeFdHandle? KeeperProgram { get; }

    /// <summary>
    /// Opens (creating, 0700) <c>exits/</c> inside <paramref name="stateDirectory"/>. It must be a directory of the
    /// daemon's user that nobody else can write (else <see cref="UnsafePathException"/>): a record decides how a run
    /// is reported, so only keepers, which run as the daemon's user, may write there.
    /// </summary>
    public static ExitRecords Open(string stateDirectory)
    {
        using ConfinedDirectory parent = ConfinedDirectory.Open(stateDirectory);
        ConfinedDirectory directory = parent.OpenOrCreateDirectory(DirectoryName, UnixMode.Mode0700);
        try
        {
            EntryStatus status = directory.Status();
            uint euid = DaemonIdentity.Current().Uid;
            if (status.Uid != euid || (status.Mode & UnixMode.GroupOrOtherWrite) != 0)
                throw new UnsafePathException(string.Create(CultureInfo.InvariantCulture,
                    $"{directory.Path} is owned by uid {status.Uid} with mode {UnixMode.Format(status.Mode)}; it must be owned by uid {euid} and not writable by group or others (chown {euid} {directory.Path} && chmod 700 {directory.Path})"));
        }
        catch
        {
            directory.Dispose();
            throw;
        }

        int fd = PmSpawn.KeeperMemfd();
        if (fd >= 0) return new ExitRecords(directory, new SafeFdHandle(fd, ownsHandle: true), null);
        string problem = $"the exit keeper program cannot be put in a memfd: {LinuxException.Describe((Errno)Marshal.GetLastPInvokeError())}";
        return new ExitRecords(directory, null, problem);
    }

    /// <summary>True for a name a record may have (an app name: letters, digits, <c>._-</c>, no leading dot, at most 64).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Removes <paramref name="app"/>'s record (before a new run starts, so an old record never answers for it).</summary>
    public void Forget(string app)
    {
        if (!IsValidName(app)) return;
        try
        {
            _directory.Delete(app);
        }
        catch (IOException)
        {
            // A record that cannot be removed is still checked against the pid of the run it answers for.
        }
    }

    /// <summary>
    /// Reads and removes <paramref name="app"/>'s record. Returns the status when the record is for
    /// <paramref name="pid"/>; null when there is none, it is for another pid, or it is unreadable
    /// (<paramref name="problem"/> then says why, for the journal).
    /// </summary>
    public ExitStatus? TryTake(string app, int pid, out string? problem)
    {
        problem = null;
        if (!IsValidName(app)) return null;
        string text;
        try
        {
            if (_directory.KindOf(app) == EntryKind.Missing) return null;
            text = Encoding.ASCII.GetString(_directory.ReadRegularFile(app, MaxRecordBytes));
        }
        catch (Exception e) when (e is IOException or UnsafePathException)
        {
            problem = $"{_directory.PathOf(app)}: {e.Message}";
            return null;
        }
        Forget(app);
        if (!TryParse(text, out int recordPid, out ExitStatus status))
        {
            problem = $"{_directory.PathOf(app)}: not an exit record: \"{text.Trim()}\"";
            return null;
        }
        if (recordPid != pid)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"{_directory.PathOf(app)}: the record is for pid {recordPid}, not the main process {pid}; ignored");
            return null;
        }
        return status;
    }

    /// <summary>Parses <c>pid=N code=C</c> or <c>pid=N signal=S</c> (one line).</summary>
    public static bool TryParse(string text, out int pid, out ExitStatus status)
    {
        pid = 0;
        status = default;
        string[] fields = text.TrimEnd('\n').Split(' ');
        if (fields.Length != 2 || !fields[0].StartsWith("pid=", StringComparison.Ordinal)
            || !int.TryParse(fields[0].AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out pid) || pid <= 0)
            return false;
        if (fields[1].StartsWith("code=", StringComparison.Ordinal)
            && int.TryParse(fields[1].AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int code) && code <= 255)
        {
            status = ExitStatus.Exited(code);
            return true;
        }
        if (fields[1].StartsWith("signal=", StringComparison.Ordinal)
            && int.TryParse(fields[1].AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out int signal) && signal is > 0 and < 65)
        {
            status = ExitStatus.Killed(signal);
            return true;
        }
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        KeeperProgram?.Dispose();
        _directory.Dispose();
    }
}
