using ProcessMaster.Core.Config.Model;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Definitions;

/// <summary>
/// One entry, in two passes: <see cref="ApplyEntry"/> reaches the target without following a symlink, creates it if
/// missing, chowns and chmods; <see cref="ApplyCapability"/> runs setcap once every entry's chown and chmod is done.
/// </summary>
public sealed partial class Provisioner
{
    private void ApplyEntry(int index, ProvisioningEntry entry, uint? uid, uint? gid)
    {
        string target = Path.GetFullPath(entry.Path, _workingDirectory.Path);
        using ConfinedDirectory start = Locate(target, out List<string> components);
        string? leaf = components.Count == 0 ? null : components[^1];
        using ConfinedDirectory parent = WalkParents(start, components, target, create: !entry.AddNetBindCapability);
        EntryKind kind = leaf is null ? EntryKind.Directory : parent.KindOf(leaf);
        if (kind == EntryKind.Symlink)
            throw new EntryFailure($"target {target} is a symlink; refusing to provision through it", "replace it with the real file or directory, or point path at the real location");
        if (kind == EntryKind.Missing && entry.AddNetBindCapability)
            throw new EntryFailure($"target {target} does not exist (needed for setcap)", "install the program first or remove add_net_bind_capability");
        if (entry.AddNetBindCapability && kind != EntryKind.File)
            throw new EntryFailure($"target {target} is not a regular file ({(kind == EntryKind.Directory ? "a directory" : kind)}); setcap needs a program file", "point path at the program binary or remove add_net_bind_capability");

        // A directory target is held by its own fd from here on, so every change lands on the inode just checked.
        using ConfinedDirectory? directory = leaf is null ? parent.Reopen()
            : kind == EntryKind.Missing ? CreateDirectory(parent, leaf)
            : kind == EntryKind.Directory ? parent.OpenDirectory(leaf)
            : null;
        if (uid is not null || gid is not null) ChangeOwner(entry, target, uid, gid, parent, leaf, directory);
        if (entry.Mode is { } mode)
        {
            if (directory is not null) directory.ChangeMode((uint)mode.Value);
            else parent.ChangeMode(leaf!, (uint)mode.Value);
            _actions.Add($"chmod {mode} {target}");
        }
    }

    /// <summary>
    /// setcap on the entry's program, after every chown and chmod of every entry (the kernel drops file
    /// capabilities on chown, so a later chown of the same tree would silently undo it), then reads the attribute
    /// back: the capability is reported only when the file really carries it.
    /// </summary>
    private void ApplyCapability(ProvisioningEntry entry)
    {
        string target = Path.GetFullPath(entry.Path, _workingDirectory.Path);
        using ConfinedDirectory start = Locate(target, out List<string> components);
        using ConfinedDirectory parent = WalkParents(start, components, target, create: false);
        string leaf = components.Count == 0 ? "." : components[^1];
        if (components.Count == 0 || parent.KindOf(leaf) != EntryKind.File)
            throw new EntryFailure($"target {target} is no longer a regular file", "check what else changes the working directory");
        RunSetcap(parent, leaf, target);
        if (FileCapability.NetBindServiceProblem(parent.ReadExtendedAttribute(leaf, FileCapability.AttributeName)) is { } problem)
            throw new EntryFailure($"setcap {Capability} {target} exited 0, but reading the attribute back shows {problem}",
                "the file system must keep security.capability (extended attributes); check that nothing changed the file meanwhile");
        _actions.Add($"verified {FileCapability.AttributeName} of {target}: cap_net_bind_service permitted and effective");
    }

    private void ChangeOwner(ProvisioningEntry entry, string target, uint? uid, uint? gid, ConfinedDirectory parent, string? leaf, ConfinedDirectory? directory)
    {
        string owner = $"{entry.Owner ?? ""}:{entry.Group ?? ""}".TrimEnd(':');
        if (directory is null)
        {
            if (!parent.ChangeOwner(leaf!, uid, gid)) throw new EntryFailure($"target {target} vanished while being provisioned", "check what else changes the working directory");
            _actions.Add($"chown {owner} {target}");
        }
        else if (entry.Recursive)
        {
            OwnershipWalk walk = directory.ChangeOwnerRecursively(uid, gid, MaxTreeDepth);
            _actions.Add($"chown -R {owner} {target} ({walk.Describe()})");
        }
        else
        {
            directory.ChangeOwner(uid, gid);
            _actions.Add($"chown {owner} {target}");
        }
    }

    /// <summary>Where the walk to <paramref name="target"/> starts: the working directory if it is inside it, else <c>/</c>.</summary>
    private ConfinedDirectory Locate(string target, out List<string> components)
    {
        string root = _workingDirectory.Path;
        string relative = Path.GetRelativePath(root, target);
        bool inside = relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
        components = [.. (inside ? relative : target).Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".")];
        return inside ? _workingDirectory.Reopen() : ConfinedDirectory.Open("/");
    }

    /// <summary>
    /// Opens the directory holding the last of <paramref name="components"/> (or <paramref name="start"/> itself
    /// when there is none), one O_NOFOLLOW step at a time; missing directories are created when
    /// <paramref name="create"/> is set (mkdir -p), a symlinked component is refused.
    /// </summary>
    private ConfinedDirectory WalkParents(ConfinedDirectory start, List<string> components, string target, bool create)
    {
        ConfinedDirectory current = start.Reopen();
        for (int i = 0; i < components.Count - 1; i++)
        {
            using ConfinedDirectory parent = current;
            string name = components[i];
            string path = parent.PathOf(name);
            current = parent.KindOf(name) switch
            {
                EntryKind.Directory => parent.OpenDirectory(name),
                EntryKind.Missing when create => CreateDirectory(parent, name),
                EntryKind.Missing => throw new EntryFailure($"target {target} does not exist (needed for setcap)", "install the program first or remove add_net_bind_capability"),
                EntryKind.Symlink => throw new EntryFailure($"path component {path} is a symlink; provisioning never follows symlinks", "point path at the real location"),
                _ => throw new EntryFailure($"path component {path} is not a directory", "fix path or remove what is in the way"),
            };
        }

        return current;
    }

    private ConfinedDirectory CreateDirectory(ConfinedDirectory parent, string name)
    {
        ConfinedDirectory created = parent.OpenOrCreateDirectory(name, CreatedDirectoryMode);
        _actions.Add($"created directory {created.Path} (0755)");
        return created;
    }
}
