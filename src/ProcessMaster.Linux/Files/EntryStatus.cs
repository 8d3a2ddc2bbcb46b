namespace ProcessMaster.Linux.Files;

/// <summary>What statx(2) says about an entry or an open file, without following symlinks.</summary>
/// <param name="Kind">File, directory, symlink, other.</param>
/// <param name="Inode">The inode number (identity within the file system).</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="LinkCount">Number of hard links.</param>
/// <param name="Uid">Owner.</param>
/// <param name="Mode">Permission bits (07777).</param>
/// <param name="LastWrite">Modification time.</param>
public readonly record struct EntryStatus(EntryKind Kind, ulong Inode, long Size, uint LinkCount, uint Uid, uint Mode, DateTimeOffset LastWrite);
