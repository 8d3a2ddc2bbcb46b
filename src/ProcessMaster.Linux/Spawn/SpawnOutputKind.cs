namespace ProcessMaster.Linux.Spawn;

/// <summary>Where a child's stdout or stderr goes. The daemon opens every target; the child only dup2()s descriptors.</summary>
public enum SpawnOutputKind
{
    /// <summary><c>/dev/null</c>.</summary>
    Null,

    /// <summary>
    /// A FIFO, opened O_RDWR by the spawner (never by the child) so the child never gets SIGPIPE/EPIPE while no
    /// reader is attached (it blocks instead). Only for FIFOs the daemon itself owns.
    /// </summary>
    Fifo,

    /// <summary>A descriptor the caller opened (e.g. a log file found through a no-follow walk); the caller keeps owning it.</summary>
    Descriptor,

    /// <summary>For stderr only: the same open file as stdout (dup2(1, 2)).</summary>
    SameAsStdout,
}
