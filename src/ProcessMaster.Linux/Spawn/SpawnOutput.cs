using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Spawn;

/// <summary>A stdout/stderr target for a spawned child.</summary>
/// <param name="Kind">What kind of target.</param>
/// <param name="Path">Absolute path for <see cref="SpawnOutputKind.Fifo"/>.</param>
/// <param name="Handle">The open descriptor for <see cref="SpawnOutputKind.Descriptor"/> (owned by the caller).</param>
public sealed record SpawnOutput(SpawnOutputKind Kind, string? Path, SafeHandle? Handle = null)
{
    /// <summary><c>/dev/null</c>.</summary>
    public static SpawnOutput Null { get; } = new(SpawnOutputKind.Null, null);

    /// <summary>stderr goes where stdout goes.</summary>
    public static SpawnOutput SameAsStdout { get; } = new(SpawnOutputKind.SameAsStdout, null);

    /// <summary>A FIFO the daemon owns, opened O_RDWR|O_NOFOLLOW by the spawner; anything but a FIFO is refused.</summary>
    public static SpawnOutput Fifo(string path) =>
        new(SpawnOutputKind.Fifo, System.IO.Path.IsPathFullyQualified(path) ? path : throw new ArgumentException($"FIFO path \"{path}\" is not absolute", nameof(path)));

    /// <summary>An open descriptor, handed to the child as is (it keeps its file status flags, O_APPEND included).</summary>
    public static SpawnOutput Descriptor(SafeHandle handle) =>
        new(SpawnOutputKind.Descriptor, null, handle.IsInvalid || handle.IsClosed ? throw new ArgumentException("the descriptor is not open", nameof(handle)) : handle);
}
