namespace ProcessMaster.Linux.Files;

/// <summary>
/// A path was refused because following or writing it could reach outside the directory it belongs to:
/// a symlink, a FIFO or device where a regular file belongs, a hard-linked file, a directory that is not
/// owned by the expected user. The message names the path and the reason.
/// </summary>
public sealed class UnsafePathException : IOException
{
    /// <summary>Creates the exception with an operator-readable message.</summary>
    public UnsafePathException(string message)
        : base(message)
    {
    }
}
