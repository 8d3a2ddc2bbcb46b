namespace ProcessMaster.Protocol.Framing;

/// <summary>What <see cref="LineReader.ReadLineAsync(TimeSpan, TimeSpan, TimeSpan, CancellationToken)"/> found.</summary>
public enum LineReadStatus
{
    /// <summary>A complete line.</summary>
    Line,
    /// <summary>The line exceeded the cap (it is discarded up to where it was seen).</summary>
    TooLong,
    /// <summary>End of stream.</summary>
    Eof,
    /// <summary>Nothing of the next line arrived within the idle timeout.</summary>
    IdleTimeout,
    /// <summary>A line whose first byte arrived was not complete within the line timeout, counted from that byte.</summary>
    LineTimeout,
    /// <summary>The caller's overall deadline for this read passed (e.g. the handshake deadline).</summary>
    DeadlineReached,
    /// <summary>The line needs a larger buffer and the shared <see cref="LineBudget"/> has no room.</summary>
    OverBudget,
}

/// <summary>A line or why there is none.</summary>
public readonly record struct LineReadResult(LineReadStatus Status, ReadOnlyMemory<byte> Line);
