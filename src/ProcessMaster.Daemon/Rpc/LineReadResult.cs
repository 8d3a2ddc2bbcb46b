namespace ProcessMaster.Daemon.Rpc;

/// <summary>What <see cref="LineReader.ReadLineAsync"/> found.</summary>
internal enum LineReadStatus
{
    /// <summary>A complete line.</summary>
    Line,
    /// <summary>The line exceeded the cap (it is discarded up to where it was seen).</summary>
    TooLong,
    /// <summary>End of stream.</summary>
    Eof,
    /// <summary>Nothing arrived within the idle timeout.</summary>
    IdleTimeout,
    /// <summary>A started line did not complete within the line timeout.</summary>
    LineTimeout,
}

/// <summary>A line or why there is none.</summary>
internal readonly record struct LineReadResult(LineReadStatus Status, ReadOnlyMemory<byte> Line);
