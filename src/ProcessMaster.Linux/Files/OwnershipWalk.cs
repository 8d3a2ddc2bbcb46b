namespace ProcessMaster.Linux.Files;

/// <summary>What <see cref="ConfinedDirectory.ChangeOwnerRecursively"/> changed, and what it left alone and why.</summary>
public sealed class OwnershipWalk
{
    /// <summary>Entries changed, the start directory included.</summary>
    public long Changed { get; set; }

    /// <summary>Non-directories with more than one hard link, not changed.</summary>
    public List<string> SkippedHardLinks { get; } = [];

    /// <summary>Directories on another mount, neither changed nor entered.</summary>
    public List<string> SkippedMountPoints { get; } = [];

    /// <summary>E.g. <c>12 entries, symlinks not followed; skipped 1 hard-linked file (a/x); 1 mount point (m)</c>.</summary>
    public string Describe()
    {
        string text = $"{Changed} entries, symlinks not followed";
        if (SkippedHardLinks.Count > 0) text += $"; skipped {Count(SkippedHardLinks.Count, "file")} with more than one hard link ({List(SkippedHardLinks)})";
        if (SkippedMountPoints.Count > 0) text += $"; skipped {Count(SkippedMountPoints.Count, "directory", "directories")} on another mount ({List(SkippedMountPoints)})";
        return text;
    }

    private static string Count(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";

    private static string List(List<string> paths) => string.Join(", ", paths.Take(5)) + (paths.Count > 5 ? $", and {paths.Count - 5} more" : "");
}
