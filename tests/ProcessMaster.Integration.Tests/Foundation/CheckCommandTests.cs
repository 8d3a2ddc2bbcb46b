using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Foundation;

/// <summary><c>processmaster --check</c> run as a process: exit codes, every problem with file:line, nothing written.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("pm-check-");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("examples/config.yaml")]
    [InlineData("examples/config.full.yaml")]
    public async Task Check_ShippedExample_ExitsZero(string config)
    {
        CommandResult result = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", Repository.PathOf(config)]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("check: OK", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ShippedServiceFullExample_ExitsZero()
    {
        // service.full.yaml documents every key; check it as the only definition of a master config.
        Directory.CreateDirectory(Path.Combine(_dir.Path, "config.d"));
        string text = await File.ReadAllTextAsync(Repository.PathOf("examples/service.full.yaml"), TestContext.Current.CancellationToken);
        // The example's working directory (/opt/...) is replaced by a private one: the test never touches host paths.
        string workdir = Directory.CreateDirectory(Path.Combine(_dir.Path, "work")).FullName;
        text = text.Replace("working_directory: " + WorkingDirectoryOf(text), "working_directory: " + workdir, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "config.d", "service.full.yaml"), text, TestContext.Current.CancellationToken);
        string master = Write("config.yaml", "global:\n  config_directory: ./config.d\n");

        CommandResult result = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", master]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Check_BrokenMasterAndDefinitions_ReportsEveryProblemWithFileLineAndKey()
    {
        string master = Write("config.yaml", """
            global:
              config_directory: ./config.d
              confg_directory: ./other
            unix_socket:
              mode: "0680"
            """);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "config.d"));
        WriteBrokenWeb();

        CommandResult result = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", master]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{master}:3:3:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("confg_directory", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("config_directory", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{master}:5:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("check: FAILED", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MasterProblemElsewhere_DefinitionsAreCheckedInTheSameRun()
    {
        (string master, CommandResult result) = await CheckAsync("global:\n  config_directory: ./config.d\nunix_socket:\n  mode: \"0680\"\n", () => WriteBrokenWeb());

        Assert.True(result.ExitCode == 1, result.ToString());
        string web = Path.Combine(_dir.Path, "config.d", "web.yaml");
        Assert.Contains($"{master}:4:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{web}:4:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{web}:6:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("check: FAILED: 3 problems", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ConfigDirectoryItselfBroken_SaysDefinitionsAreNotChecked()
    {
        (_, CommandResult result) = await CheckAsync("global:\n  config_directory: \"\"\n", () => WriteBrokenWeb());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("global.config_directory: must not be empty", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("service definitions not checked until it says where they are", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("web.yaml", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_UnknownDefaultServiceAccount_IsAProblemAtItsKey()
    {
        (string master, CommandResult result) = await CheckAsync("global:\n  config_directory: ./config.d\n  default_service_user: pm-no-such-user-q7\n");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{master}:3:25: global.default_service_user: auto-services cannot run as user \"pm-no-such-user-q7\": " +
                        "user \"pm-no-such-user-q7\" not found in the passwd database; create it or fix global.default_service_user",
            result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_DefinitionWithByteOrderMark_IsValid()
    {
        (_, CommandResult result) = await CheckAsync("global:\n  config_directory: ./config.d\n", () =>
            File.WriteAllText(Path.Combine(_dir.Path, "config.d", "web.yaml"), "process:\n  working_directory: /tmp\n  start_command: [\"/bin/true\"]\n",
                new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true)));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("check: OK: ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BrokenDefinition_ReportsEveryProblemOfTheFile()
    {
        string master = Write("config.yaml", "global:\n  config_directory: ./config.d\n");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "config.d"));
        string web = WriteBrokenWeb();

        CommandResult result = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", master]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{web}:4:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("process.stop_signal", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{web}:6:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("resources.max_memory", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AutoServiceWithoutDefinition_WritesNothing()
    {
        string master = Write("config.yaml", "global:\n  config_directory: ./config.d\n  auto_service_directory: ./auto\n");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "config.d"));
        string api = Path.Combine(_dir.Path, "auto", "api");
        Directory.CreateDirectory(api);

        CommandResult result = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", master]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("would be generated", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(api, "service.yml")), "--check must not write service.yml");
    }

    [Fact]
    public async Task Check_MissingFile_ExitsOneWithTheReason()
    {
        string missing = Path.Combine(_dir.Path, "nope.yaml");
        CommandResult result = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", missing]);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(missing, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandLine_UnknownOption_ExitsTwo()
    {
        CommandResult result = await CommandRun.RunAsync(Repository.Daemon, ["--chekc"]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--chekc", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A definition with two problems: an unknown signal (line 4) and a bad size (line 6).</summary>
    private string WriteBrokenWeb() => Write("config.d/web.yaml", """
        process:
          working_directory: /tmp
          start_command: ["/bin/true"]
          stop_signal: SIGFOO
        resources:
          max_memory: lots
        """);

    /// <summary>Writes config.yaml and an empty config.d, lets <paramref name="arrange"/> add definitions, runs --check.</summary>
    private async Task<(string Master, CommandResult Result)> CheckAsync(string masterYaml, Action? arrange = null)
    {
        string master = Write("config.yaml", masterYaml);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "config.d"));
        arrange?.Invoke();
        return (master, await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", master]));
    }

    private string Write(string relative, string text)
    {
        string path = Path.Combine(_dir.Path, relative);
        File.WriteAllText(path, text);
        return path;
    }

    private static string WorkingDirectoryOf(string yaml)
    {
        foreach (string line in yaml.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("working_directory:", StringComparison.Ordinal))
                return trimmed["working_directory:".Length..].Split('#')[0].Trim().Trim('"');
        }
        throw new InvalidOperationException("examples/service.full.yaml sets no process.working_directory");
    }

    [Theory]
    [InlineData("  user: nobody\n", "global.state_file: the state directory", "point global.state_file into a directory of its own")]
    [InlineData("  user: no-such-user-pm\n", "global.user: user \"no-such-user-pm\" not found in the passwd database", "create the user or fix global.user")]
    [InlineData("  group: nogroup\n", "global.group: global.group is set without global.user", "set global.user too")]
    public async Task CheckAndDaemon_GlobalUserProblem_SameTextFromBoth_DaemonTouchesNothing(string global, string problem, string fix)
    {
        // The default state_file lives in config_directory, which is root's: after dropping to nobody the daemon
        // could not write it. --check must say so exactly as the daemon does (audit N-22, X6).
        string name = $"pm-refused-{Guid.NewGuid():N}"[..24];
        string master = Write("config.yaml", $"cgroup:\n  name: {name}\nunix_socket:\n  path: {_dir.Path}/pm.sock\nglobal:\n  config_directory: ./config.d\n{global}");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "config.d"));

        CommandResult check = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", master]);
        CommandResult daemon = await CommandRun.RunAsync(Repository.Daemon, ["-c", master]);

        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.True(daemon.ExitCode == 1, daemon.ToString());
        string line = check.Stderr.Split('\n').Single(l => l.Contains(problem, StringComparison.Ordinal));
        Assert.Contains(fix, line, StringComparison.Ordinal);
        Assert.Contains(line, daemon.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"{CgroupSandbox.FindCgroup2Mount()}/{name}"), "a refused daemon created its cgroup");
        Assert.False(File.Exists(Path.Combine(_dir.Path, "pm.sock")));
    }

    [Fact]
    public async Task CheckAndDaemon_WebConsoleOnAPrivilegedPortAfterTheDrop_SameRefusal()
    {
        int lowest = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        if (lowest <= 443) Assert.Skip($"ip_unprivileged_port_start is {lowest}: any user may bind port 443 here");
        string master = Write("config.yaml", $"cgroup:\n  name: pm-refused-{Guid.NewGuid():N}\nunix_socket:\n  path: {_dir.Path}/pm.sock\n"
            + "global:\n  config_directory: ./config.d\n  user: nobody\n  state_file: ./state/appstate.json\n  log_file: ./logs/pm.log\n"
            + "web_console:\n  enabled: true\n  bind: 127.0.0.1\n  port: 443\n");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "config.d"));

        CommandResult check = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", master]);
        CommandResult daemon = await CommandRun.RunAsync(Repository.Daemon, ["-c", master]);

        string expected = $"web_console.port: port 443 is below {lowest} (/proc/sys/net/ipv4/ip_unprivileged_port_start), which only root may bind, and the daemon drops to nobody (uid 65534, gid 65534) (global.user) before the console starts; choose a port of {lowest} or more, or remove global.user";
        Assert.True(check.ExitCode == 1 && check.Stderr.Contains(expected, StringComparison.Ordinal), check.ToString());
        Assert.True(daemon.ExitCode == 1 && daemon.Stderr.Contains(expected, StringComparison.Ordinal), daemon.ToString());
        Assert.False(File.Exists(Path.Combine(_dir.Path, "pm.sock")));
    }

    [Fact]
    public async Task Check_UntrustedAndRootDefinitions_ReportedLikeTheDaemon()
    {
        string master = Write("config.yaml", "global:\n  config_directory: ./config.d\n");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "config.d"));
        string open = Write("config.d/open.yaml", "process:\n  working_directory: /tmp\n  start_command: [/bin/true]\n");
        File.SetUnixFileMode(open, (UnixFileMode)Convert.ToInt32("666", 8));
        string root = Write("config.d/root.yaml", "process:\n  working_directory: /tmp\n  start_command: [/bin/true]\n  user: root\n");
        File.SetUnixFileMode(root, (UnixFileMode)Convert.ToInt32("644", 8));
        string allowed = Write("config.d/allowed.yaml", "process:\n  working_directory: /tmp\n  start_command: [/bin/true]\n  user: \"0\"\n  allow_root: true\n");
        File.SetUnixFileMode(allowed, (UnixFileMode)Convert.ToInt32("644", 8));

        CommandResult result = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", master]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{open}: not loaded: {open} is owned by uid 0 (root) with mode 0666", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"chown root:root {open} && chmod go-w {open}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{root}: process.user: service \"root\" is not loaded: process.user \"root\" would run the service with uid 0 (root is root)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("set process.allow_root: true if it must run as root", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(allowed, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("check: FAILED: 2 problems", result.Stderr, StringComparison.Ordinal);
    }
}
