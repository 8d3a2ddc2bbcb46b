namespace ProcessMaster.Linux.Files;

/// <summary>What statx(2) says about an entry or an open file, without following symlinks.</summary>
/// <param name="Kind">File, directory, symlink, other.</param>
/// <param name="Inode">The inode number (identity within the file system).</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="LinkCount">Number of hard links.</param>
/// <param name="Uid">Owner.</param>
/// <param name="Mode">Permission bits (07777).</param>
/// <param name="LastWrite">Modification time.</param>
public readonly record struct EntryStatus(EntryKind Kind, ulong Inode, long Size, uint LinkCount, uint Uid, uint Mode, DateTimeOffset LastWrite)
{
    /// <summary>Group.</summary>
    public uint Gid { get; init; }

    /// <summary>The file system (st_dev) as major and minor number.</summary>
    public (uint Major, uint Minor) Device { get; init; }

    /// <summary>The mount (statx STATX_MNT_ID); a bind mount of the same file system has the same device but another mount id.</summary>
    public ulong MountId { get; init; }

    /// <summary>True when this entry and <paramref name="other"/> are on the same mount.</summary>
    public bool IsSameMount(EntryStatus other) => Device == other.Device && MountId == other.MountId;
}
