using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Trust;

/// <summary>
/// Audit N-01 at the real entry points: a service user who can write the directory of its own definition must
/// never get uid 0, a chmod of a host file, or a root-only file through <c>@file://</c>.
/// </summary>
public sealed class DefinitionTrustTests : IAsyncLifetime
{
    private const uint Nobody = 65534;

    private readonly DaemonInstance _daemon = DaemonInstance.Create(extraGlobal: "auto_service_directory: ./auto");

    public ValueTask InitializeAsync()
    {
        // The service user must reach its directory (the audit's layout: a world-searchable tree).
        File.SetUnixFileMode(_daemon.Root, (UnixFileMode)Convert.ToInt32("755", 8));
        Directory.CreateDirectory(AutoDirectory);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    private string AutoDirectory => Path.Combine(_daemon.Root, "auto");

    [Fact]
    public async Task ServiceUserRewritesItsServiceYml_UpdateAndStart_NoRootNoChmodNoSecret()
    {
        // The audit's reproduction: app1's directory is owned by the service user (what the shipped
        // `path: . ownership: {owner: www-data, recursive: true}` made it), service.yml is root's 0644.
        string canary = CreateCanary();
        string app = Path.Combine(AutoDirectory, "app1");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "service.yml"), """
            process:
              user: nobody
              start_command: ["/bin/sh", "-c", "id > ./id.txt; exec sleep 100000"]
            """, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(Path.Combine(app, "service.yml"), (UnixFileMode)Convert.ToInt32("644", 8));
        Chown(app, Nobody);
        await _daemon.StartAsync();

        // As the service user: replace service.yml (user root, the canary chmod'ed and read), re-arm provisioning.
        CommandResult rewrite = await AsNobodyAsync(app, $$"""
            process:
              user: root
              start_command: ["/bin/sh", "-c", "id > ./id.txt; printf '%s' \"$STOLEN\" > ./stolen.txt; exec sleep 100000"]
              environment:
                - name: STOLEN
                  value: "@file://{{canary}}"
            provisioning:
              - path: {{canary}}
                mode: "0666"
            """);
        Assert.True(rewrite.ExitCode == 0, rewrite.ToString());
        Assert.Contains("user: root", await File.ReadAllTextAsync(Path.Combine(app, "service.yml"), TestContext.Current.CancellationToken), StringComparison.Ordinal);

        CommandResult update = await _daemon.PmctlAsync("update");
        CommandResult start = await _daemon.PmctlAsync("start", "app1");

        // Both commands answered: the daemon has decided. Nothing of the attack may have happened.
        Assert.Equal("secret", await File.ReadAllTextAsync(canary, TestContext.Current.CancellationToken));
        Assert.True(File.GetUnixFileMode(canary) == (UnixFileMode)Convert.ToInt32("600", 8),
            $"the canary's mode changed to {Convert.ToString((int)File.GetUnixFileMode(canary), 8)}\nupdate: {update}\nstart: {start}\n{_daemon.Log}");
        Assert.False(File.Exists(Path.Combine(app, "stolen.txt")), "the service read the root-only canary through @file://");
        Assert.Empty(RootProcessesOfServices());
        Assert.Contains($"{app} is owned by uid {Nobody} (nobody) with mode 0755", _daemon.Log, StringComparison.Ordinal);
        Assert.Contains($"chown root:root {app} && chmod go-w {app}", _daemon.Log, StringComparison.Ordinal);
        Assert.NotEqual(0, start.ExitCode);
    }

    [Fact]
    public async Task DefinitionBecomesServiceWritable_Update_KeepsLastGoodDefinitionAndUser()
    {
        string canary = CreateCanary();
        string app = Path.Combine(AutoDirectory, "app2");
        Directory.CreateDirectory(app);
        string definition = Path.Combine(app, "service.yml");
        await File.WriteAllTextAsync(definition, """
            process:
              user: nobody
              start_command: ["/bin/sh", "-c", "exec sleep 100000"]
            """, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(definition, (UnixFileMode)Convert.ToInt32("644", 8));
        await _daemon.StartAsync();
        await ServiceStatus.WaitAsync(_daemon, "app2", s => s.Phase == "RUNNING", TimeSpan.FromSeconds(20), "app2 RUNNING as nobody");

        // An operator mistake hands the file to the service user, who rewrites it.
        Chown(definition, Nobody);
        CommandResult rewrite = await AsNobodyAsync(app, $$"""
            process:
              user: root
              start_command: ["/bin/sh", "-c", "exec sleep 100000"]
            provisioning:
              - path: {{canary}}
                mode: "0666"
            """, inPlace: true);
        Assert.True(rewrite.ExitCode == 0, rewrite.ToString());

        ServiceStatus before = await ServiceStatus.ReadAsync(_daemon, "app2");
        CommandResult update = await _daemon.PmctlAsync("update");

        // The reload refuses the file, says why and how to fix it, and leaves the running service alone.
        Assert.True(update.ExitCode == 1, update.ToString());
        Assert.Contains($"{definition} is owned by uid {Nobody} (nobody) with mode 0644", update.Stdout + update.Stderr, StringComparison.Ordinal);
        Assert.Contains("kept as last good (app2)", _daemon.Log, StringComparison.Ordinal);
        Assert.Equal(before.Pids, (await ServiceStatus.ReadAsync(_daemon, "app2")).Pids);
        Assert.Equal(0, (await _daemon.PmctlAsync("restart", "app2")).ExitCode);
        ServiceStatus status = await ServiceStatus.WaitAsync(_daemon, "app2", s => s.Phase == "RUNNING" && s.Pids.Count > 0, TimeSpan.FromSeconds(20), "app2 RUNNING again");

        Assert.Equal($"{Nobody}\t{Nobody}\t{Nobody}\t{Nobody}", ProcFacts.StatusField(status.Pids[0], "Uid"));
        Assert.True(File.GetUnixFileMode(canary) == (UnixFileMode)Convert.ToInt32("600", 8), $"the canary's mode changed\n{update}\n{_daemon.Log}");
        Assert.Contains($"{definition} is owned by uid {Nobody} (nobody) with mode 0644", _daemon.Log, StringComparison.Ordinal);
        Assert.Contains($"chown root:root {definition} && chmod go-w {definition}", _daemon.Log, StringComparison.Ordinal);
        Assert.Empty(RootProcessesOfServices());
    }

    [Fact]
    public async Task DefinitionSwappedForASymlinkAfterLoad_Update_RefusesIt_KeepsLastGoodDefinition()
    {
        // A definition is never followed through a link, even to a root-owned file (audit #25, #39; SPEC: trusted
        // definitions): whoever planted the link chose what it points at.
        string work = _daemon.WorkDir("swapped");
        string definition = _daemon.WriteService("swapped", $"process:\n  working_directory: {work}\n  start_command: [\"/bin/sh\", \"-c\", \"echo good >> runs.txt; exec sleep 100000\"]\n");
        await _daemon.StartAsync();
        ServiceStatus before = await ServiceStatus.WaitAsync(_daemon, "swapped", s => s.Phase == "RUNNING" && s.Pids.Count > 0, TimeSpan.FromSeconds(20), "swapped RUNNING");

        string elsewhere = Path.Combine(_daemon.Root, "elsewhere.yaml");
        await File.WriteAllTextAsync(elsewhere, $"application: swapped\nprocess:\n  working_directory: {work}\n  user: root\n  allow_root: true\n"
            + "  start_command: [\"/bin/sh\", \"-c\", \"echo linked >> runs.txt; exec sleep 100000\"]\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(elsewhere, DaemonInstance.TrustedFileMode);
        File.Delete(definition);
        File.CreateSymbolicLink(definition, elsewhere);

        // pmctl disable rewrites the definition: never through the link (audit #39), the linked file stays as it was.
        string linked = await File.ReadAllTextAsync(elsewhere, TestContext.Current.CancellationToken);
        CommandResult disable = await _daemon.PmctlAsync("disable", "swapped");
        Assert.True(disable.ExitCode == 1, disable.ToString());
        Assert.Contains("is a symlink; refusing to follow it", disable.Stdout + disable.Stderr, StringComparison.Ordinal);
        Assert.Equal(linked, await File.ReadAllTextAsync(elsewhere, TestContext.Current.CancellationToken));
        Assert.True(File.ResolveLinkTarget(definition, returnFinalTarget: false) is not null, "the link was replaced");

        CommandResult update = await _daemon.PmctlAsync("update");

        Assert.True(update.ExitCode == 1, update.ToString());
        Assert.Contains($"{definition}: is a symlink; definition files are never followed through links", update.Stdout + update.Stderr, StringComparison.Ordinal);
        Assert.Contains("kept as last good (swapped)", _daemon.Log, StringComparison.Ordinal);
        Assert.Equal(before.Pids, (await ServiceStatus.ReadAsync(_daemon, "swapped")).Pids);
        Assert.Equal(0, (await _daemon.PmctlAsync("restart", "swapped")).ExitCode);
        string runs = Path.Combine(work, "runs.txt");
        await DaemonInstance.WaitUntilAsync(() => File.ReadAllLines(runs).Length == 2, TimeSpan.FromSeconds(20), "the restart's first line");
        Assert.Equal(["good", "good"], await File.ReadAllLinesAsync(runs, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TrustedDefinition_ProvisioningOutsideItsDirectoryOrHandingItsDefinitionToTheService_RefusedAtLoad()
    {
        // The other half of N-01: even a root-owned definition cannot provision outside its working directory (unless
        // the master configuration opts in), nor make the directory of its own definition the service's, as the
        // shipped example's `path: . ownership: {owner: www-data, recursive: true}` used to.
        string canary = CreateCanary();
        string work = _daemon.WorkDir("reach");
        _daemon.WriteService("reach", $$"""
            process:
              working_directory: {{work}}
              start_command: ["/bin/sleep", "100000"]
            provisioning:
              - path: {{canary}}
                mode: "0666"
            """);
        string app = Path.Combine(AutoDirectory, "app3");
        Directory.CreateDirectory(app);
        string definition = Path.Combine(app, "service.yml");
        await File.WriteAllTextAsync(definition, """
            process:
              user: nobody
              start_command: ["/bin/sleep", "100000"]
            provisioning:
              - path: .
                ownership: { owner: nobody, recursive: true }
            """, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(definition, DaemonInstance.TrustedFileMode);

        await _daemon.StartAsync();

        Assert.Contains($"{canary} is outside the working directory {work}; provisioning runs as root and is confined to the working directory", _daemon.Log, StringComparison.Ordinal);
        Assert.Contains($"{app} holds the definition {definition}, and ownership.owner nobody would let someone other than root rewrite it", _daemon.Log, StringComparison.Ordinal);
        Assert.Equal(new FileFacts(canary, 0, 0, "0600"), HostFiles.Stat(canary));
        Assert.Equal(0u, HostFiles.Stat(app).Uid);
        Assert.Equal(0u, HostFiles.Stat(definition).Uid);
        foreach (string refused in new[] { "reach", "app3" })
        {
            CommandResult status = await _daemon.PmctlAsync("status", refused);
            Assert.True(status.ExitCode == 1, $"{refused} must not be loaded: {status}");
        }
    }

    private string CreateCanary()
    {
        string canary = Path.Combine(_daemon.Root, "canary-file");
        File.WriteAllText(canary, "secret");
        File.SetUnixFileMode(canary, (UnixFileMode)Convert.ToInt32("600", 8));
        return canary;
    }

    /// <summary>Every process with uid 0 in an app cgroup (the daemon itself lives in the master's run leaf).</summary>
    private List<string> RootProcessesOfServices()
    {
        var found = new List<string>();
        foreach (string app in Directory.GetDirectories(_daemon.MasterCgroup, "pm-*"))
        {
            foreach (string procs in Directory.GetFiles(app, "cgroup.procs", SearchOption.AllDirectories))
            {
                foreach (int pid in CgroupSandbox.Procs(Path.GetDirectoryName(procs)!))
                {
                    try
                    {
                        string uid = ProcFacts.StatusField(pid, "Uid");
                        if (uid.Split('\t').Contains("0")) found.Add($"pid {pid} in {app}: Uid {uid}");
                    }
                    catch (IOException)
                    {
                        // Gone meanwhile.
                    }
                }
            }
        }
        return found;
    }

    /// <summary>
    /// As uid/gid 65534 without groups: writes service.yml (by rename, or in place) and removes the provisioning
    /// marker, exactly as the service user could.
    /// </summary>
    private static Task<CommandResult> AsNobodyAsync(string directory, string serviceYml, bool inPlace = false) =>
        CommandRun.RunAsync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c",
            inPlace
                ? "printf '%s' \"$DEFINITION\" > service.yml"
                : "printf '%s' \"$DEFINITION\" > service.yml.new && mv -f service.yml.new service.yml && rm -f .pm_provisioned"],
            workingDirectory: directory, environment: new Dictionary<string, string?> { ["DEFINITION"] = serviceYml });

    private static void Chown(string path, uint uid)
    {
        CommandResult result = CommandRun.RunAsync("chown", [$"{uid}:{uid}", path]).GetAwaiter().GetResult();
        if (result.ExitCode != 0) throw new InvalidOperationException($"chown {path}: {result}");
    }
}
