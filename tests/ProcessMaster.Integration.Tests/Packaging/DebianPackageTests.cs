using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Packaging;

/// <summary>
/// The Debian package, built by <c>packaging/build-deb.sh</c> from the NativeAOT binaries, installed with
/// <c>dpkg --root</c> into a clean root made from the host's files (make-root.sh: a shell, core tools, libc; no .NET):
/// the files land where promised; the installed daemon, started there the way the unit starts it (inside the unit's
/// cgroup, here a child of a private sandbox, with <c>INVOCATION_ID</c>), answers <c>pmctl status</c>; an upgrade to a
/// higher version keeps an edited config and a running service's pid, and the next daemon adopts it; removal stops the
/// daemon and its services; purge removes state and config.
/// </summary>
public sealed class DebianPackageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task BuildInstallRunUpgradeRemovePurge()
    {
        string? aot = Environment.GetEnvironmentVariable("PROCESSMASTER_AOT_DIR");
        if (string.IsNullOrEmpty(aot))
            Assert.Skip("PROCESSMASTER_AOT_DIR is not set: build/test.sh publishes the NativeAOT binaries the package is built from");
        using var temp = new TempDirectory("pm-deb-");
        string work = temp.Path;
        string root = Path.Combine(work, "root");
        using CgroupSandbox sandbox = CgroupSandbox.Create();
        string unit = Path.Combine(sandbox.Path, "processmaster.service");
        Directory.CreateDirectory(unit);
        var mounts = new List<string>();
        Process? daemon = null;
        var log = new StringBuilder();
        try
        {
            string v1 = await BuildAsync(aot, "1.0.0", work);
            string v2 = await BuildAsync(aot, "1.0.1", work);
            await RunAsync(Repository.PathOf("tests/ProcessMaster.Integration.Tests/Packaging/make-root.sh"), root, Path.Combine(aot, "processmaster"), Path.Combine(aot, "pmctl"));

            await RunAsync("dpkg", $"--root={root}", "-i", v1);
            foreach (string file in new[]
                     {
                         "usr/bin/processmaster", "usr/bin/pmctl", "etc/processmaster/config.yaml", "lib/systemd/system/processmaster.service",
                         "usr/lib/tmpfiles.d/processmaster.conf", "usr/share/bash-completion/completions/pmctl", "usr/share/zsh/vendor-completions/_pmctl",
                         "usr/share/fish/vendor_completions.d/pmctl.fish", "usr/share/man/man8/processmaster.8.gz", "usr/share/man/man1/pmctl.1.gz",
                     })
                Assert.True(File.Exists(Path.Combine(root, file)), $"{file} not installed");
            Assert.True(Directory.Exists(Path.Combine(root, "run/processmaster")), "/run/processmaster not created");
            Assert.Equal("/etc/processmaster/config.yaml", File.ReadAllText(Path.Combine(root, "var/lib/dpkg/info/processmaster.conffiles")).Trim());
            string manual = (await RunAsync("sh", "-c", $"zcat {root}/usr/share/man/man1/pmctl.1.gz")).Stdout;
            Assert.Contains(".SS pmctl metrics", manual, StringComparison.Ordinal);
            Assert.Contains("__pmctl_complete", File.ReadAllText(Path.Combine(root, "usr/share/fish/vendor_completions.d/pmctl.fish")), StringComparison.Ordinal);

            // The daemon's world in the root: /proc, the cgroup2 hierarchy, a service definition.
            await MountAsync(mounts, "/proc", Path.Combine(root, "proc"));
            string cgroupInRoot = Path.Combine(root, sandbox.Mount.TrimStart('/'));
            Directory.CreateDirectory(cgroupInRoot);
            await MountAsync(mounts, sandbox.Mount, cgroupInRoot);
            Directory.CreateDirectory(Path.Combine(root, "var/lib/sleeper"));
            string definition = Path.Combine(root, "etc/processmaster/services.d/sleeper.yaml");
            File.WriteAllText(definition, "process:\n  working_directory: /var/lib/sleeper\n  start_command: [\"/bin/sleep\", \"600\"]\n");
            File.SetUnixFileMode(definition, DaemonInstance.TrustedFileMode);

            daemon = StartDaemon(root, sandbox, log);
            await WaitForAsync(log, "[daemon] running:", daemon);
            Assert.Contains($"the unit's own cgroup {unit} is the root", log.ToString(), StringComparison.Ordinal);
            CommandResult status = await RunAsync("chroot", root, "/usr/bin/pmctl", "status");
            Assert.Contains("sleeper", status.Stdout, StringComparison.Ordinal);
            int pid = await SleeperPidAsync(root);
            Assert.Contains("/processmaster.service/processmaster/pm-sleeper/run", File.ReadAllText($"/proc/{pid}/cgroup"), StringComparison.Ordinal);

            // Upgrade: the edited conffile is kept, the service keeps running; the next daemon adopts it.
            string config = Path.Combine(root, "etc/processmaster/config.yaml");
            File.AppendAllText(config, "# edited by the operator\n");
            await RunAsync("dpkg", $"--root={root}", "--force-confold", "-i", v2);
            Assert.Contains("Version: 1.0.1", (await RunAsync("dpkg", $"--root={root}", "-s", "processmaster")).Stdout, StringComparison.Ordinal);
            Assert.EndsWith("# edited by the operator\n", File.ReadAllText(config), StringComparison.Ordinal);
            Assert.True(File.Exists($"/proc/{pid}/status"), "the service died during the upgrade");
            // No systemd in the root: restart the daemon as systemctl try-restart would (SIGTERM to it alone, KillMode=process).
            await RunAsync("kill", "-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await daemon.WaitForExitAsync(TestContext.Current.CancellationToken);
            daemon.Dispose();
            log.Clear();
            daemon = StartDaemon(root, sandbox, log);
            await WaitForAsync(log, "[daemon] running:", daemon);
            Assert.Equal(pid, await SleeperPidAsync(root));
            Assert.Contains("adopted", log.ToString(), StringComparison.Ordinal);

            // Remove: the daemon stops its services and exits; the binaries go, the conffile stays.
            await RunAsync("dpkg", $"--root={root}", "-r", "processmaster");
            using (var exited = new CancellationTokenSource(Wait)) await daemon.WaitForExitAsync(exited.Token);
            Assert.False(File.Exists($"/proc/{pid}/status") && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal), "the service survived the removal");
            Assert.False(File.Exists(Path.Combine(root, "usr/bin/processmaster")));
            Assert.True(File.Exists(config), "remove must keep the conffile");

            // Purge: config, state and logs go; the operator's own definition stays.
            await RunAsync("dpkg", $"--root={root}", "-P", "processmaster");
            Assert.False(File.Exists(config));
            Assert.False(Directory.Exists(Path.Combine(root, "var/lib/processmaster")));
            Assert.False(Directory.Exists(Path.Combine(root, "var/log/processmaster")));
            Assert.True(File.Exists(definition));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{e.Message}\n--- daemon ---\n{log}", e);
        }
        finally
        {
            if (daemon is { HasExited: false }) daemon.Kill();
            daemon?.Dispose();
            mounts.Reverse();
            foreach (string mount in mounts) await CommandRun.RunAsync("umount", ["-l", mount], TimeSpan.FromMinutes(1));
        }
    }

    private static async Task<string> BuildAsync(string aot, string version, string work)
    {
        CommandResult built = await RunAsync(Repository.PathOf("packaging/build-deb.sh"), "--bin", aot, "--version", version, "--out", work);
        string deb = built.Stdout.Trim();
        Assert.Equal(Path.Combine(work, $"processmaster_{version}_amd64.deb"), deb);
        return deb;
    }

    private static Process StartDaemon(string root, CgroupSandbox sandbox, StringBuilder log)
    {
        string procs = $"{sandbox.Path}/processmaster.service/cgroup.procs";
        var info = new ProcessStartInfo("chroot", [root, "/bin/sh", "-c", $"echo $$ > {procs} && exec /usr/bin/processmaster -c /etc/processmaster/config.yaml"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        info.Environment["INVOCATION_ID"] = "00112233445566778899aabbccddeeff";
        Process process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitForAsync(StringBuilder log, string text, Process daemon)
    {
        DateTime deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            lock (log)
                if (log.ToString().Contains(text, StringComparison.Ordinal)) return;
            if (daemon.HasExited || DateTime.UtcNow > deadline) throw new TimeoutException($"the installed daemon did not log \"{text}\"");
            await Task.Delay(100);
        }
    }

    private static async Task<int> SleeperPidAsync(string root)
    {
        CommandResult json = await RunAsync("chroot", root, "/usr/bin/pmctl", "status", "sleeper", "--format", "json");
        using JsonDocument doc = JsonDocument.Parse(json.Stdout);
        return doc.RootElement.GetProperty("statuses")[0].GetProperty("pids")[0].GetInt32();
    }

    private static async Task MountAsync(List<string> mounts, string source, string target)
    {
        await RunAsync("mount", "--bind", source, target);
        mounts.Add(target);
    }

    private static async Task<CommandResult> RunAsync(string program, params string[] arguments)
    {
        CommandResult result = await CommandRun.RunAsync(program, arguments, Wait);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {result}");
        return result;
    }
}
