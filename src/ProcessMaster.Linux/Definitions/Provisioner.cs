using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Interop;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Linux.Definitions;

/// <summary>
/// One-time working-directory setup (<c>provisioning:</c>), applied when a definition loads and guarded by the
/// marker <c>${working_directory}/.pm_provisioned</c>: present (even as a dangling symlink) → skipped; written
/// (O_CREAT|O_EXCL|O_NOFOLLOW) only after every entry succeeded; on a failure nothing more is done and the caller
/// does not load the app. Nothing is ever done through a symlink: each path is walked component by component
/// with O_NOFOLLOW (targets under the working directory from there, others from <c>/</c>), recursive chown uses
/// fchownat(AT_SYMLINK_NOFOLLOW) and descends only into real directories.
/// </summary>
public static class Provisioner
{
    /// <summary>The marker file's name.</summary>
    public const string MarkerName = ".pm_provisioned";

    private static readonly string[] SetcapLocations = ["/usr/sbin/setcap", "/sbin/setcap"];

    /// <summary>Applies <paramref name="definition"/>'s provisioning unless its marker exists. Never throws for an expected failure.</summary>
    public static ProvisioningOutcome Apply(ServiceDefinition definition, ChildProcessRegistry children, DateTimeOffset now)
    {
        string subject = $"service \"{definition.Name}\": provisioning";
        if (definition.Provisioning.Count == 0) return new ProvisioningOutcome.Skipped("nothing to provision");
        string workdir = definition.Process.WorkingDirectory;
        if (!Privileges.IsRoot && definition.Provisioning.Any(e => e.Owner is not null || e.Group is not null || e.AddNetBindCapability))
            return new ProvisioningOutcome.Failed($"{subject} needs root for ownership and capabilities (the daemon runs as uid {Privileges.EffectiveUid}); run the daemon as root or remove those entries");
        try
        {
            using ConfinedDirectory root = ConfinedDirectory.Open(workdir);
            if (root.KindOf(MarkerName) != EntryKind.Missing) return new ProvisioningOutcome.Skipped($"{Path.Join(workdir, MarkerName)} exists");
            var done = new List<string>();
            foreach (ProvisioningEntry entry in definition.Provisioning)
                done.Add(ApplyEntry(entry, root, workdir, children));
            using (SafeFileHandle marker = root.CreateNewFile(MarkerName, 0b110_100_100))
                RandomAccess.Write(marker, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"provisioned_at_ms={now.ToUnixTimeMilliseconds()}\n")), 0);
            return new ProvisioningOutcome.Applied(done);
        }
        catch (Exception e) when (e is IOException or LinuxException or ArgumentException or UnauthorizedAccessException)
        {
            return new ProvisioningOutcome.Failed($"{subject} failed: {e.Message}; fix it and run `pmctl update` (nothing is marked done until every entry succeeds)");
        }
    }

    private static string ApplyEntry(ProvisioningEntry entry, ConfinedDirectory root, string workdir, ChildProcessRegistry children)
    {
        string target = Path.GetFullPath(entry.Path);
        string relative = Path.GetRelativePath(workdir, target);
        bool inside = relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
        string[] parts = inside
            ? relative == "." ? [] : relative.Split('/', StringSplitOptions.RemoveEmptyEntries)
            : target.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 && !inside) throw new IOException("refusing to provision /");
        if (entry.AddNetBindCapability && !Path.Exists(target)) throw new IOException($"target {target} does not exist (needed for setcap)");
        using ConfinedDirectory start = inside ? root.Reopen() : ConfinedDirectory.Open("/");
        using ConfinedDirectory parent = parts.Length <= 1 ? start.Reopen() : start.OpenDescendant(parts[..^1], create: !entry.AddNetBindCapability, 0b111_101_101);
        string? name = parts.Length == 0 ? null : parts[^1];
        var actions = new List<string>();

        EntryKind kind = name is null ? EntryKind.Directory : parent.KindOf(name);
        if (kind == EntryKind.Symlink) throw new IOException($"{target} is a symlink; refusing to provision through it");
        if (kind == EntryKind.Missing)
        {
            if (entry.AddNetBindCapability) throw new IOException($"target {target} does not exist (needed for setcap)");
            parent.OpenOrCreateDirectory(name!, 0b111_101_101).Dispose();
            kind = EntryKind.Directory;
            actions.Add("created");
        }

        if (entry.Owner is not null || entry.Group is not null)
        {
            uint uid = entry.Owner is null ? Libc.IdUnchanged : (UserDatabase.FindUser(entry.Owner) ?? throw new ArgumentException($"unknown owner \"{entry.Owner}\" for {target}")).Uid;
            uint gid = entry.Group is null ? Libc.IdUnchanged : (UserDatabase.FindGroup(entry.Group) ?? throw new ArgumentException($"unknown group \"{entry.Group}\" for {target}")).Gid;
            if (name is null) Check(Libc.Fchown(parent.Handle, uid, gid), "fchown", target);
            else Check(Libc.Fchownat(parent.Handle, name, uid, gid, Libc.AT_SYMLINK_NOFOLLOW), "fchownat", target);
            if (entry.Recursive && kind == EntryKind.Directory)
            {
                using ConfinedDirectory tree = name is null ? parent.Reopen() : parent.OpenDirectory(name);
                ChownTree(tree, uid, gid);
            }
            actions.Add($"owner {entry.Owner ?? "-"}:{entry.Group ?? "-"}{(entry.Recursive ? " (recursive)" : "")}");
        }

        if (entry.Mode is { } mode)
        {
            if (kind == EntryKind.Directory)
            {
                using ConfinedDirectory dir = name is null ? parent.Reopen() : parent.OpenDirectory(name);
                Check(Libc.Fchmod(dir.Handle, (uint)mode.Value), "fchmod", target);
            }
            else
            {
                using SafeFileHandle file = parent.OpenRegularFileForReading(name!);
                Check(Libc.Fchmod(file, (uint)mode.Value), "fchmod", target);
            }
            actions.Add($"mode {mode}");
        }

        if (entry.AddNetBindCapability)
        {
            if (kind != EntryKind.File) throw new IOException($"setcap target {target} is not a regular file");
            Setcap(target, children);
            actions.Add("cap_net_bind_service=+ep");
        }
        return $"{target}: {string.Join(", ", actions.DefaultIfEmpty("checked"))}";
    }

    private static void ChownTree(ConfinedDirectory directory, uint uid, uint gid)
    {
        foreach (string name in directory.List())
        {
            // AT_SYMLINK_NOFOLLOW: a symlink itself changes owner; what it points at never does.
            Check(Libc.Fchownat(directory.Handle, name, uid, gid, Libc.AT_SYMLINK_NOFOLLOW), "fchownat", directory.PathOf(name));
            if (directory.KindOf(name) != EntryKind.Directory) continue;
            using ConfinedDirectory child = directory.OpenDirectory(name);
            ChownTree(child, uid, gid);
        }
    }

    private static void Setcap(string target, ChildProcessRegistry children)
    {
        string setcap = SetcapLocations.FirstOrDefault(File.Exists)
            ?? throw new IOException("setcap is not installed (Debian package libcap2-bin); install it or remove add_net_bind_capability");
        var info = new ProcessStartInfo(setcap) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("cap_net_bind_service=+ep");
        info.ArgumentList.Add(target);
        using Process process = children.Start(info);
        string error = process.StandardError.ReadToEnd().Trim();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            throw new IOException($"setcap on {target} did not finish within 10 s");
        }
        if (process.ExitCode != 0) throw new IOException($"setcap cap_net_bind_service=+ep {target} failed (exit {process.ExitCode}): {error}");
    }

    private static void Check(int result, string call, string path)
    {
        if (result != 0) throw new LinuxException(call, Marshal.GetLastPInvokeError(), path);
    }
}

/// <summary>What provisioning did.</summary>
public abstract record ProvisioningOutcome
{
    private ProvisioningOutcome()
    {
    }

    /// <summary>Not needed (no entries, or the marker exists).</summary>
    public sealed record Skipped(string Why) : ProvisioningOutcome;

    /// <summary>Every entry applied and the marker written.</summary>
    public sealed record Applied(IReadOnlyList<string> Actions) : ProvisioningOutcome;

    /// <summary>An entry failed; no marker; the app must not be loaded.</summary>
    public sealed record Failed(string Message) : ProvisioningOutcome;
}
