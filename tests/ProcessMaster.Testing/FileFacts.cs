namespace ProcessMaster.Testing;

/// <summary>What <see cref="HostFiles.Stat"/> saw.</summary>
/// <param name="Path">The path.</param>
/// <param name="Uid">Owner.</param>
/// <param name="Gid">Group.</param>
/// <param name="Mode">Permission bits, four octal digits (e.g. <c>0755</c>).</param>
public sealed record FileFacts(string Path, uint Uid, uint Gid, string Mode)
{
    /// <summary>E.g. <c>/x 0:0 0755</c>, for assertion messages.</summary>
    public override string ToString() => $"{Path} {Uid}:{Gid} {Mode}";
}
