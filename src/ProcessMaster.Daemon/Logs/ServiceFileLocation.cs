using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Daemon.Logs;

/// <summary>
/// Where a file the daemon reads or writes for a service lives, resolved the same way for every root writer and
/// reader (log capture, stop_command output, <c>pmctl logs</c>, <c>@file://</c> environment values): a path inside the working directory is walked from there, one component at a time,
/// never through a symlink (the service owns that tree); a path outside it (absolute, operator-chosen) is opened in
/// its own directory, whose last component must not be a symlink.
/// </summary>
/// <param name="BaseDirectory">The working directory, or the directory of an operator path outside it.</param>
/// <param name="Path">The file relative to <paramref name="BaseDirectory"/>.</param>
internal sealed record ServiceFileLocation(string BaseDirectory, LogRelativePath Path)
{
    /// <summary>Splits <paramref name="file"/> (absolute) against <paramref name="workingDirectory"/>.</summary>
    /// <exception cref="IOException">The path cannot name a file.</exception>
    public static ServiceFileLocation Of(string file, string workingDirectory)
    {
        string relative = System.IO.Path.GetRelativePath(workingDirectory, file);
        if (LogRelativePath.TryParse(relative, out LogRelativePath? inside, out _) && inside is not null)
            return new ServiceFileLocation(workingDirectory, inside);
        string directory = System.IO.Path.GetDirectoryName(file) ?? "/";
        if (LogRelativePath.TryParse(System.IO.Path.GetFileName(file), out LogRelativePath? name, out string? error) && name is not null)
            return new ServiceFileLocation(directory, name);
        throw new IOException($"{file}: {error}");
    }

    /// <summary>The file's name.</summary>
    public string FileName => Path.FileName;

    /// <summary>
    /// Opens the directory that holds the file, walking down from <see cref="BaseDirectory"/> without following a
    /// symlink in any component. With <paramref name="create"/>, missing directories are created 0755 and given to
    /// <paramref name="owner"/>; without it, a missing directory is an <see cref="IOException"/> (ENOENT).
    /// </summary>
    /// <exception cref="UnsafePathException">A component is a symlink.</exception>
    public ConfinedDirectory OpenDirectory(bool create, (uint Uid, uint Gid)? owner = null)
    {
        using ConfinedDirectory root = ConfinedDirectory.Open(BaseDirectory);
        return root.OpenDescendant(Path.Directories, create, DirectoryMode, owner);
    }

    /// <summary>Mode of directories created on the way: 0755.</summary>
    public const uint DirectoryMode = 0x1ED;
}
