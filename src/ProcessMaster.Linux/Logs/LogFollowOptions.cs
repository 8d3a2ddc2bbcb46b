namespace ProcessMaster.Linux.Logs;

/// <summary>How a follower reads and buffers.</summary>
public sealed record LogFollowOptions
{
    /// <summary>Lines buffered for the consumer; beyond this, lines are dropped and a marker says how many.</summary>
    public int Capacity { get; init; } = 1024;

    /// <summary>A line longer than this is delivered in pieces of this many bytes.</summary>
    public int MaxLineBytes { get; init; } = 4096;

    /// <summary>Start at the current end of the file (only new lines) rather than at its beginning.</summary>
    public bool StartAtEnd { get; init; } = true;

    /// <summary>The shared inotify instance and thread; null gives the follower a private one.</summary>
    public InotifyHub? Hub { get; init; }
}
