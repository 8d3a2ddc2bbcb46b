namespace ProcessMaster.Linux.Spawn;

/// <summary>A stdout/stderr target for a spawned child.</summary>
/// <param name="Kind">What kind of target.</param>
/// <param name="Path">Absolute path for <see cref="SpawnOutputKind.Fifo"/> and <see cref="SpawnOutputKind.AppendFile"/>.</param>
public sealed record SpawnOutput(SpawnOutputKind Kind, string? Path)
{
    /// <summary><c>/dev/null</c>.</summary>
    public static SpawnOutput Null { get; } = new(SpawnOutputKind.Null, null);

    /// <summary>stderr goes where stdout goes.</summary>
    public static SpawnOutput SameAsStdout { get; } = new(SpawnOutputKind.SameAsStdout, null);

    /// <summary>An existing FIFO, opened O_RDWR by the child.</summary>
    public static SpawnOutput Fifo(string path) => new(SpawnOutputKind.Fifo, RequireAbsolute(path));

    /// <summary>A regular file, appended to (created 0640 if missing; a symlink is refused).</summary>
    public static SpawnOutput AppendFile(string path) => new(SpawnOutputKind.AppendFile, RequireAbsolute(path));

    private static string RequireAbsolute(string path) =>
        System.IO.Path.IsPathFullyQualified(path) ? path : throw new ArgumentException($"output path \"{path}\" is not absolute", nameof(path));
}
