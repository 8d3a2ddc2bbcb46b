using ProcessMaster.Core.Config;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Definitions;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Definitions;

/// <summary>
/// Discovery trusts a definition only from trusted hands (audit N-01): the file and every directory up to the
/// configured directory owned by root (or the daemon's user) and closed to group/other writes; and it admits only
/// definitions the daemon can run as written (audit N-14, SPEC §3.11). --check (dry run) judges alike.
/// </summary>
public sealed class DefinitionTrustTests : IDisposable
{
    private static readonly DaemonIdentity Root = new(0, 0, [0], "root", "/root");
    private static readonly DaemonIdentity NobodyDaemon = new(HostFiles.Nobody, HostFiles.Nobody, [HostFiles.Nobody], "nobody", "/nonexistent");

    private readonly TempDirectory _root = new("pm-trust-");

    public DefinitionTrustTests()
    {
        Directory.CreateDirectory(ConfigDir);
        Directory.CreateDirectory(AutoDir);
        HostFiles.Chmod(ConfigDir, "0755");
        HostFiles.Chmod(AutoDir, "0755");
    }

    private string ConfigDir => Path.Combine(_root.Path, "config.d");

    private string AutoDir => Path.Combine(_root.Path, "auto");

    public void Dispose() => _root.Dispose();

    private DiscoveredDefinitions Load(bool dryRun, DaemonIdentity? identity = null) => DefinitionDiscovery.LoadAndProvision(new DiscoveryOptions(
        Path.Combine(_root.Path, "config.yaml"), ConfigDir, AutoDir, new ServiceParseContext(AutoDir, "nobody", null), dryRun) { Identity = identity ?? Root });

    private string Write(string path, string text, string mode = "0644")
    {
        File.WriteAllText(path, text);
        HostFiles.Chmod(path, mode);
        return path;
    }

    private string Definition(string extra = "") => $"process:\n  working_directory: {_root.Path}\n  start_command: [\"/bin/true\"]\n{extra}";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GroupWritableFile_Refused_NamingOwnerModeAndFix(bool dryRun)
    {
        string file = Write(Path.Combine(ConfigDir, "web.yaml"), Definition(), "0664");
        Write(Path.Combine(ConfigDir, "ok.yaml"), Definition());

        DiscoveredDefinitions found = Load(dryRun);

        Assert.Equal(["ok"], found.Definitions.Select(d => d.Name.Value));
        ConfigError problem = Assert.Single(found.Problems);
        Assert.Equal(file, problem.File);
        Assert.StartsWith($"not loaded: {file} is owned by uid 0 (root) with mode 0664; a definition decides what runs as which user", problem.Problem, StringComparison.Ordinal);
        Assert.Equal($"chown root:root {file} && chmod go-w {file}, then run `pmctl update`", problem.Fix);
    }

    [Fact]
    public void FileOwnedByAnotherUser_Refused_UnlessThatUserIsTheDaemon()
    {
        string file = Write(Path.Combine(ConfigDir, "web.yaml"), Definition("  user: nobody\n"));
        HostFiles.Chown(file, HostFiles.Nobody, HostFiles.Nobody);

        Assert.Contains($"{file} is owned by uid 65534 (nobody) with mode 0644", Assert.Single(Load(dryRun: true).Problems).Problem, StringComparison.Ordinal);
        Assert.Equal(["web"], Load(dryRun: true, NobodyDaemon).Definitions.Select(d => d.Name.Value));
    }

    [Fact]
    public void WritableConfigDirectory_EveryFileInItRefused()
    {
        Write(Path.Combine(ConfigDir, "a.yaml"), Definition());
        Write(Path.Combine(ConfigDir, "b.yaml"), Definition());
        HostFiles.Chmod(ConfigDir, "0777");

        DiscoveredDefinitions found = Load(dryRun: false);

        Assert.Empty(found.Definitions);
        Assert.Equal(2, found.Problems.Count);
        Assert.All(found.Problems, p => Assert.Contains($"not loaded: {ConfigDir} is owned by uid 0 (root) with mode 0777", p.Problem, StringComparison.Ordinal));
    }

    [Fact]
    public void AutoServiceDirectoryOwnedByTheService_Refused_NothingGenerated()
    {
        string app = Path.Combine(AutoDir, "app");
        Directory.CreateDirectory(app);
        HostFiles.Chown(app, HostFiles.Nobody, HostFiles.Nobody);

        DiscoveredDefinitions found = Load(dryRun: false);

        ConfigError problem = Assert.Single(found.Problems);
        Assert.Equal(Path.Combine(app, "service.yml"), problem.File);
        Assert.Contains($"{app} is owned by uid 65534 (nobody)", problem.Problem, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(app, "service.yml")), "nothing may be generated into an untrusted directory");
    }

    [Fact]
    public void GeneratedAutoService_RunsAsNobody_Loaded()
    {
        Directory.CreateDirectory(Path.Combine(AutoDir, "gen"));

        DiscoveredDefinitions found = Load(dryRun: false);

        Assert.Empty(found.Problems);
        Assert.Equal("nobody", Assert.Single(found.Definitions).Process.User);
        Assert.Equal("0644", HostFiles.Stat(Path.Combine(AutoDir, "gen", "service.yml")).Mode);
    }

    [Theory]
    [InlineData("  user: root\n", "process.user \"root\" would run the service with uid 0 (root is root)")]
    [InlineData("  user: \"0\"\n", "process.user \"0\" would run the service with uid 0")]
    [InlineData("  user: nobody\n  group: \"0\"\n", "process.user \"nobody\" process.group \"0\" would run the service with gid 0 (the root group)")]
    [InlineData("  user: no-such-user-pm\n", "user \"no-such-user-pm\" not found in the passwd database")]
    public void UserTheDaemonMustNotRun_RefusedAtLoad(string user, string problem)
    {
        string file = Write(Path.Combine(ConfigDir, "svc.yaml"), Definition(user));

        ConfigError refused = Assert.Single(Load(dryRun: true).Problems);

        Assert.Equal(file, refused.File);
        Assert.Equal("process.user", refused.KeyPath);
        Assert.Contains($"service \"svc\" is not loaded: {problem}", refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RootWithAllowRoot_Loaded()
    {
        Write(Path.Combine(ConfigDir, "svc.yaml"), Definition("  user: root\n  allow_root: true\n"));
        DiscoveredDefinitions found = Load(dryRun: true);
        Assert.Empty(found.Problems);
        Assert.True(Assert.Single(found.Definitions).Process.AllowRoot);
    }

    [Fact]
    public void UnprivilegedDaemon_OtherUserAndRootProvisioning_RefusedAtLoad_OwnUserLoaded()
    {
        Write(Path.Combine(ConfigDir, "other.yaml"), Definition("  user: daemon\n"));
        Write(Path.Combine(ConfigDir, "chown.yaml"), Definition("provisioning:\n  - path: ./x\n    ownership: { owner: nobody }\n"));
        Write(Path.Combine(ConfigDir, "own.yaml"), Definition("  user: nobody\n"));

        DiscoveredDefinitions found = Load(dryRun: true, NobodyDaemon);

        Assert.Equal(["own"], found.Definitions.Select(d => d.Name.Value));
        Assert.Contains(found.Problems, p => p.KeyPath == "process.user" && p.Problem.Contains("can start services only as itself", StringComparison.Ordinal));
        Assert.Contains(found.Problems, p => p.KeyPath == "provisioning" && p.Problem.Contains("which needs root, and the daemon runs as nobody (uid 65534, gid 65534)", StringComparison.Ordinal));
    }
}
