using System.Globalization;
using System.Text;
using ProcessMaster.Linux.Handles;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Interop;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Linux.Definitions;

/// <summary>
/// Applies a definition's <c>provisioning:</c> entries once per working directory (seed README "Provisioning",
/// reference daemon §10.4), guarded by the marker <c>${working_directory}/.pm_provisioned</c>.
/// <list type="bullet">
/// <item>The marker is looked at with lstat semantics: anything there, a dangling symlink included, means
/// "already provisioned" and nothing is opened or followed. It is written only after every entry succeeded,
/// with O_CREAT|O_EXCL|O_NOFOLLOW, content <c>provisioned_at_ms=&lt;ms&gt;\n</c>.</item>
/// <item>Before the first entry runs, every owner and group is resolved and setcap is found, so a typo fails
/// before anything changes. Entries then run in order: create a missing target, chown, chmod; then, once every
/// entry's ownership and mode is done, setcap for the entries that ask for it, each read back from the file's
/// <c>security.capability</c> attribute. On a failure nothing more is done (earlier entries are not rolled back)
/// and no marker is written.</item>
/// <item>Nothing is ever changed through a symlink (audit #4, #24, #26, R-03). A target under the working
/// directory is reached from the working directory's fd one component at a time with O_NOFOLLOW; a target
/// outside it is reached the same way from <c>/</c>, so a symlink anywhere on its path (e.g. <c>/var/run</c>)
/// is refused too: write the real path. The components of the working directory's own path belong to the
/// operator and are resolved normally; its last component must not be a symlink.</item>
/// <item>The kernel drops file capabilities (and setuid/setgid bits) on chown; that is why setcap runs last, after
/// every chown of every entry, whatever order the entries are written in.</item>
/// <item>A recursive chown skips (and reports) files with more than one hard link and directories on another
/// mount; a single target with more than one hard link is refused (audit N-25).</item>
/// </list>
/// The work blocks (tree walks, setcap): run it off the supervision loop.
/// </summary>
public sealed partial class Provisioner
{
    /// <summary>The marker's file name inside the working directory.</summary>
    public const string MarkerName = ".pm_provisioned";

    /// <summary>Mode of directories created for missing targets (0755).</summary>
    public const uint CreatedDirectoryMode = UnixMode.Mode0755;

    /// <summary>Directory levels a recursive chown walks below its target before it gives up.</summary>
    public const int MaxTreeDepth = 512;

    private const uint MarkerMode = UnixMode.Mode0644;
    private const string NextStep = "no marker written, the next reload of definitions retries";

    private readonly ServiceDefinition _definition;
    private readonly ChildProcessRegistry _children;
    private readonly ProvisioningOptions _options;
    private readonly ConfinedDirectory _workingDirectory;
    private readonly List<string> _actions = [];
    private string? _setcap;

    private Provisioner(ServiceDefinition definition, ChildProcessRegistry children, ProvisioningOptions options, ConfinedDirectory workingDirectory)
    {
        _definition = definition;
        _children = children;
        _options = options;
        _workingDirectory = workingDirectory;
    }

    private string Subject => $"service \"{_definition.Name}\"";

    /// <summary>The absolute marker path of <paramref name="definition"/> (for status output).</summary>
    public static string MarkerPath(ServiceDefinition definition) => Path.Join(WorkingDirectoryOf(definition), MarkerName);

    /// <summary>Applies the provisioning of <paramref name="definition"/> with <see cref="ProvisioningOptions.Default"/>.</summary>
    public static ProvisioningOutcome Apply(ServiceDefinition definition, ChildProcessRegistry children) =>
        Apply(definition, children, ProvisioningOptions.Default);

    /// <summary>
    /// Applies the provisioning of <paramref name="definition"/>; setcap is started through
    /// <paramref name="children"/> so the orphan reaper never takes it. Never throws for a file-system problem:
    /// that is a <see cref="ProvisioningOutcome.Failed"/>.
    /// </summary>
    public static ProvisioningOutcome Apply(ServiceDefinition definition, ChildProcessRegistry children, ProvisioningOptions options)
    {
        if (definition.Provisioning.Count == 0) return new ProvisioningOutcome.Skipped("no provisioning entries");
        string subject = $"service \"{definition.Name}\"";
        string directory = WorkingDirectoryOf(definition);
        ConfinedDirectory workingDirectory;
        try
        {
            workingDirectory = ConfinedDirectory.Open(directory);
        }
        catch (IOException e)
        {
            return new ProvisioningOutcome.Failed($"{subject}: provisioning: working directory {e.Message}; create it (a real directory, not a symlink) or fix process.working_directory; {NextStep}");
        }

        using (workingDirectory)
        {
            var run = new Provisioner(definition, children, options, workingDirectory);
            return run.Run();
        }
    }

    /// <summary>The problem with ownership or capability entries for a daemon that is not root (no subject), or null.</summary>
    internal static string? PrivilegeProblem(ServiceDefinition definition, DaemonIdentity daemon)
    {
        if (daemon.IsRoot || !definition.Provisioning.Any(e => e.Owner is not null || e.Group is not null || e.AddNetBindCapability)) return null;
        return $"provisioning changes ownership or capabilities, which needs root, and the daemon runs as {daemon}; "
            + "remove those entries (prepare the files once by hand), or run the daemon as root without global.user";
    }

    private static string WorkingDirectoryOf(ServiceDefinition definition) => Path.GetFullPath(definition.Process.WorkingDirectory);

    private ProvisioningOutcome Run()
    {
        try
        {
            if (_workingDirectory.Stat(MarkerName) is not null)
                return new ProvisioningOutcome.Skipped($"marker {_workingDirectory.PathOf(MarkerName)} exists");
        }
        catch (IOException e)
        {
            return Failure(null, e.Message, "make the working directory readable by the daemon");
        }

        if (PrivilegeProblem(_definition, DaemonIdentity.Current()) is { } privilege) return new ProvisioningOutcome.Failed($"{Subject}: provisioning: {privilege}");
        var owners = new List<(uint? Uid, uint? Gid)>();
        if (Preflight(owners) is { } preflight) return new ProvisioningOutcome.Failed(preflight);
        for (int i = 0; i < _definition.Provisioning.Count; i++)
        {
            int index = i;
            if (Step(index, () => ApplyEntry(index, _definition.Provisioning[index], owners[index].Uid, owners[index].Gid)) is { } failed) return failed;
        }

        for (int i = 0; i < _definition.Provisioning.Count; i++)
        {
            int index = i;
            if (_definition.Provisioning[index].AddNetBindCapability && Step(index, () => ApplyCapability(_definition.Provisioning[index])) is { } failed) return failed;
        }

        return WriteMarker();
    }

    /// <summary>Runs one step of entry <paramref name="index"/>; the failure, or null when it succeeded.</summary>
    private ProvisioningOutcome.Failed? Step(int index, Action step)
    {
        try
        {
            step();
            return null;
        }
        catch (EntryFailure e)
        {
            return Failure(index, e.Message, e.Fix);
        }
        catch (UnsafePathException e)
        {
            return Failure(index, e.Message, "replace the symlink or hard link with the real file or directory, or point path at the real location");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LinuxException)
        {
            return Failure(index, e.Message, "check the path and its permissions");
        }
    }

    /// <summary>Resolves every owner and group and finds setcap, so a typo fails before anything changes; the error text or null.</summary>
    private string? Preflight(List<(uint? Uid, uint? Gid)> owners)
    {
        for (int i = 0; i < _definition.Provisioning.Count; i++)
        {
            ProvisioningEntry entry = _definition.Provisioning[i];
            uint? uid, gid;
            string error;
            try
            {
                if (!TryResolveOwner(i, entry, out uid, out gid, out error)) return error;
            }
            catch (LinuxException e)
            {
                return FailureText(i, e.Message, "check the name service configuration (/etc/nsswitch.conf)");
            }

            owners.Add((uid, gid));
            if (entry.AddNetBindCapability && _setcap is null && !TryFindSetcap(i, out error)) return error;
        }

        return null;
    }

    private ProvisioningOutcome WriteMarker()
    {
        string path = _workingDirectory.PathOf(MarkerName);
        try
        {
            using SafeFdHandle fd = _workingDirectory.CreateNewFile(MarkerName, MarkerMode);
            long ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using (FileStream stream = fd.ToStream(FileAccess.Write, bufferSize: 0))
            {
                stream.Write(Encoding.ASCII.GetBytes($"provisioned_at_ms={ms.ToString(CultureInfo.InvariantCulture)}\n"));
                stream.Flush(flushToDisk: true);
            }
        }
        catch (IOException e)
        {
            return Failure(null, $"every entry was applied but the marker could not be written: {e.Message}", $"remove whatever is at {path}");
        }

        _actions.Add($"wrote marker {path}");
        return new ProvisioningOutcome.Applied(_actions);
    }

    private bool TryResolveOwner(int index, ProvisioningEntry entry, out uint? uid, out uint? gid, out string error)
    {
        uid = null;
        gid = null;
        error = "";
        if (entry.Owner is { } owner)
        {
            uid = UserDatabase.FindUser(owner)?.Uid ?? ParseId(owner);
            if (uid is null)
            {
                error = FailureText(index, $"owner \"{owner}\" not found in the passwd database", $"create the user or fix provisioning[{index}].ownership.owner");
                return false;
            }
        }

        if (entry.Group is { } group)
        {
            gid = UserDatabase.FindGroup(group)?.Gid ?? ParseId(group);
            if (gid is null)
            {
                error = FailureText(index, $"group \"{group}\" not found in the group database", $"create the group or fix provisioning[{index}].ownership.group");
                return false;
            }
        }

        return true;
    }

    private static uint? ParseId(string text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint id) && id != uint.MaxValue ? id : null;

    private ProvisioningOutcome.Failed Failure(int? index, string problem, string fix) => new(FailureText(index, problem, fix));

    private string FailureText(int? index, string problem, string fix)
    {
        string where = index is { } i ? $"provisioning[{i}] ({_definition.Provisioning[i].Path})" : "provisioning";
        return $"{Subject}: {where}: {problem}; {fix}; {NextStep}";
    }

    /// <summary>An entry failed for a reason this class found itself; <see cref="Fix"/> says what to do.</summary>
    private sealed class EntryFailure(string problem, string fix) : Exception(problem)
    {
        public string Fix { get; } = fix;
    }
}
