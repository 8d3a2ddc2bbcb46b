namespace ProcessMaster.Core.Logs;

/// <summary>
/// Where a due rotation may cut the stream so that no line is split between two files. The capture
/// peeks at the bytes waiting in the pipe (without consuming them) and asks how many belong to the
/// line already started in the current file.
/// </summary>
public static class LineBoundary
{
    /// <summary>
    /// How many of the <paramref name="pending"/> bytes finish the open line (up to and including the first
    /// <c>'\n'</c>); null when no newline is among them, so the whole peek belongs to the line and the
    /// caller must move it and look again.
    /// </summary>
    public static int? BytesToFinishLine(ReadOnlySpan<byte> pending)
    {
        int newline = pending.IndexOf((byte)'\n');
        return newline < 0 ? null : newline + 1;
    }

    /// <summary>
    /// True when a line has grown so long past the rotation point (<paramref name="overrunBytes"/> moved
    /// since rotation became due) that the file is cut anyway, mid-line. This bounds how far a file can
    /// exceed its size or outlive its period when a writer never ends its line.
    /// </summary>
    public static bool MustCutMidLine(long overrunBytes, long maxOverrunBytes) => overrunBytes >= maxOverrunBytes;
}
