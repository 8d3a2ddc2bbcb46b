using ProcessMaster.Core.Config;
using ProcessMaster.Linux.Definitions;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Definitions;

/// <summary>Discovery on real directories: what loads, what is refused (with the file), and what is written.</summary>
public sealed class DefinitionDiscoveryTests : IDisposable
{
    private readonly TempDirectory _root = new("pm-discovery-");

    private string ConfigDir => Path.Combine(_root.Path, "config.d");

    private string AutoDir => Path.Combine(_root.Path, "auto");

    public DefinitionDiscoveryTests()
    {
        Directory.CreateDirectory(ConfigDir);
        Directory.CreateDirectory(AutoDir);
    }

    public void Dispose() => _root.Dispose();

    private DiscoveredDefinitions Load(bool dryRun = false) => DefinitionDiscovery.LoadAndProvision(new DiscoveryOptions(
        Path.Combine(_root.Path, "config.yaml"), ConfigDir, AutoDir, new ServiceParseContext(AutoDir, "root", "root"), dryRun));

    private string Service(string file, string? workdir = null) =>
        Write(Path.Combine(ConfigDir, file), $"process:\n  working_directory: {workdir ?? _root.Path}\n  start_command: [\"/bin/true\"]\n");

    private static string Write(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_YamlAndYmlAnyCase_LoadedOtherFilesIgnored()
    {
        Service("web.yaml");
        Service("api.YML");
        Write(Path.Combine(ConfigDir, "notes.txt"), "not yaml");
        Write(Path.Combine(ConfigDir, "appstate.json"), "{}");
        Directory.CreateDirectory(Path.Combine(ConfigDir, "sub"));

        DiscoveredDefinitions found = Load();

        Assert.Empty(found.Problems);
        Assert.Equal(["api", "web"], found.Definitions.Select(d => d.Name.Value));
    }

    [Fact]
    public void Load_DirectoryNamedLikeADefinition_IsReportedOthersLoad()
    {
        Service("web.yaml");
        Directory.CreateDirectory(Path.Combine(ConfigDir, "sub.yaml"));

        DiscoveredDefinitions found = Load();

        ConfigError problem = Assert.Single(found.Problems);
        Assert.Equal(Path.Combine(ConfigDir, "sub.yaml"), problem.File);
        Assert.Equal("is a directory; not loaded", problem.Problem);
        Assert.Equal(["web"], found.Definitions.Select(d => d.Name.Value));
    }

    [Fact]
    public void Load_SymlinkedDefinition_IsRefusedNamingTheFile()
    {
        string real = Write(Path.Combine(_root.Path, "real.yaml"), $"process:\n  working_directory: {_root.Path}\n");
        File.CreateSymbolicLink(Path.Combine(ConfigDir, "linked.yaml"), real);

        DiscoveredDefinitions found = Load();

        Assert.Empty(found.Definitions);
        ConfigError problem = Assert.Single(found.Problems);
        Assert.EndsWith("linked.yaml", problem.File, StringComparison.Ordinal);
        Assert.Contains("symlink", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileOverOneMebibyte_IsRefused()
    {
        Write(Path.Combine(ConfigDir, "big.yaml"), "# " + new string('x', DefinitionDiscovery.MaxFileBytes) + "\n");
        DiscoveredDefinitions found = Load();
        Assert.Empty(found.Definitions);
        Assert.Contains(found.Problems, p => p.File.EndsWith("big.yaml", StringComparison.Ordinal) && p.Problem.Contains("limit", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingWorkingDirectory_IsAProblemAndTheServiceIsNotLoaded()
    {
        Service("web.yaml", workdir: Path.Combine(_root.Path, "nope"));
        DiscoveredDefinitions found = Load();
        Assert.Empty(found.Definitions);
        ConfigError problem = Assert.Single(found.Problems);
        Assert.Equal("process.working_directory", problem.KeyPath);
    }

    [Fact]
    public void Load_BrokenDefinition_ReportedWithLine_OthersStillLoad()
    {
        Service("good.yaml");
        Write(Path.Combine(ConfigDir, "bad.yaml"), $"process:\n  working_directory: {_root.Path}\n  comand: [x]\n");

        DiscoveredDefinitions found = Load();

        Assert.Equal(["good"], found.Definitions.Select(d => d.Name.Value));
        ConfigError problem = Assert.Single(found.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Contains("comand", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AutoServiceWithoutDefinition_GeneratesServiceYmlOnce()
    {
        string api = Directory.CreateDirectory(Path.Combine(AutoDir, "api")).FullName;

        DiscoveredDefinitions found = Load();

        Assert.Equal("api", Assert.Single(found.Definitions).Name.Value);
        string generated = File.ReadAllText(Path.Combine(api, "service.yml"));
        Assert.Contains("./run.sh", generated, StringComparison.Ordinal);
        File.AppendAllText(Path.Combine(api, "service.yml"), "# edited by the operator\n");
        Load();
        Assert.EndsWith("# edited by the operator\n", File.ReadAllText(Path.Combine(api, "service.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DryRun_WritesNothing()
    {
        string api = Directory.CreateDirectory(Path.Combine(AutoDir, "api")).FullName;
        DiscoveredDefinitions found = Load(dryRun: true);
        Assert.Single(found.Definitions);
        Assert.False(File.Exists(Path.Combine(api, "service.yml")));
        Assert.Contains(found.Notes, n => n.Contains("would be generated", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DisabledSuffixAndFiles_AreIgnored()
    {
        Directory.CreateDirectory(Path.Combine(AutoDir, "old.disabled"));
        Write(Path.Combine(AutoDir, "README"), "a file, not a service");
        Assert.Empty(Load().Definitions);
        Assert.False(File.Exists(Path.Combine(AutoDir, "old.disabled", "service.yml")));
    }

    [Fact]
    public void Load_ServiceYmlWinsOverServiceYaml()
    {
        string api = Directory.CreateDirectory(Path.Combine(AutoDir, "api")).FullName;
        Write(Path.Combine(api, "service.yml"), "process:\n  start_command: [\"/bin/yml\"]\n");
        Write(Path.Combine(api, "service.yaml"), "process:\n  start_command: [\"/bin/yaml\"]\n");
        Assert.Equal("/bin/yml", Assert.Single(Load().Definitions).Process.StartCommand[0]);
    }

    [Fact]
    public void Load_RegenMarker_BacksUpAndWritesTheDefaultsAgain()
    {
        string api = Directory.CreateDirectory(Path.Combine(AutoDir, "api")).FullName;
        Write(Path.Combine(api, "service.yml"), "process:\n  start_command: [\"/bin/custom\"]\n");
        Write(Path.Combine(api, "service.yml.bak"), "an older backup");
        Write(Path.Combine(api, DefinitionDiscovery.RegenerateMarker), "");

        DiscoveredDefinitions found = Load();

        Assert.Equal("./run.sh", Assert.Single(found.Definitions).Process.StartCommand[0]);
        Assert.Contains("/bin/custom", File.ReadAllText(Path.Combine(api, "service.yml.bak.1")), StringComparison.Ordinal);
        Assert.Equal("an older backup", File.ReadAllText(Path.Combine(api, "service.yml.bak")));
        Assert.False(File.Exists(Path.Combine(api, DefinitionDiscovery.RegenerateMarker)));
    }

    [Fact]
    public void Load_SymlinkedServiceYml_IsRefusedAndNeverRead()
    {
        string api = Directory.CreateDirectory(Path.Combine(AutoDir, "api")).FullName;
        string secret = Write(Path.Combine(_root.Path, "secret.yaml"), "process: {}\n");
        File.CreateSymbolicLink(Path.Combine(api, "service.yml"), secret);

        DiscoveredDefinitions found = Load();

        Assert.Empty(found.Definitions);
        Assert.Contains(found.Problems, p => p.Problem.Contains("symlink", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SameNameInConfigDirectoryAndAutoServices_IsAnErrorNamingBothFiles()
    {
        string web = Service("api.yaml");
        string auto = Directory.CreateDirectory(Path.Combine(AutoDir, "api")).FullName;

        DiscoveredDefinitions found = Load();

        Assert.Empty(found.Definitions);
        Assert.All(found.Problems, p => Assert.Contains(web, p.Problem, StringComparison.Ordinal));
        Assert.All(found.Problems, p => Assert.Contains(Path.Combine(auto, "service.yml"), p.Problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AutoServiceNamedInvalidly_IsAProblem()
    {
        Directory.CreateDirectory(Path.Combine(AutoDir, "my app"));
        DiscoveredDefinitions found = Load();
        Assert.Empty(found.Definitions);
        Assert.Contains(found.Problems, p => p.File.EndsWith("my app", StringComparison.Ordinal));
    }
}
