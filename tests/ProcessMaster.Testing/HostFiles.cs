using System.Globalization;

namespace ProcessMaster.Testing;

/// <summary>Owner and mode of paths, read and set with the system's own tools (independent of the code under test).</summary>
public static class HostFiles
{
    /// <summary>uid of nobody on Debian (and most distributions).</summary>
    public const uint Nobody = 65534;

    /// <summary>Owner, group and permission bits of <paramref name="path"/> itself (a symlink is not followed).</summary>
    public static FileFacts Stat(string path)
    {
        CommandResult result = CommandRun.RunAsync("/usr/bin/stat", ["-c", "%u %g %a", path]).GetAwaiter().GetResult();
        if (result.ExitCode != 0) throw new InvalidOperationException($"stat {path}: {result}");
        string[] parts = result.Stdout.Trim().Split(' ');
        return new FileFacts(path, uint.Parse(parts[0], CultureInfo.InvariantCulture), uint.Parse(parts[1], CultureInfo.InvariantCulture), parts[2].PadLeft(4, '0'));
    }

    /// <summary>chown <paramref name="uid"/>:<paramref name="gid"/> <paramref name="path"/>.</summary>
    public static void Chown(string path, uint uid, uint gid)
    {
        CommandResult result = CommandRun.RunAsync("/bin/chown", [$"{uid}:{gid}", path]).GetAwaiter().GetResult();
        if (result.ExitCode != 0) throw new InvalidOperationException($"chown {path}: {result}");
    }

    /// <summary>chmod to an octal mode given as text, e.g. <c>"0755"</c>.</summary>
    public static void Chmod(string path, string octal) => File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octal, 8));
}
