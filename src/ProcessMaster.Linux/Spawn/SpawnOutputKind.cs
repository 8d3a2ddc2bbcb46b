namespace ProcessMaster.Linux.Spawn;

/// <summary>Where a child's stdout or stderr goes.</summary>
public enum SpawnOutputKind
{
    /// <summary><c>/dev/null</c>.</summary>
    Null,

    /// <summary>A FIFO opened O_RDWR by the child, so it never gets SIGPIPE/EPIPE while no reader is attached (it blocks instead).</summary>
    Fifo,

    /// <summary>A regular file opened O_WRONLY|O_APPEND|O_CREAT|O_NOFOLLOW (mode 0640).</summary>
    AppendFile,

    /// <summary>For stderr only: the same open file as stdout (dup2(1, 2)).</summary>
    SameAsStdout,
}
