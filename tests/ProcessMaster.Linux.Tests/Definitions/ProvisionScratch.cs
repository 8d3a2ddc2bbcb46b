using System.Diagnostics;
using System.Runtime.Versioning;
using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Linux.Definitions;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Definitions;

/// <summary>
/// A temporary area for one provisioning test: <c>work/</c> (the service's working directory) and
/// <c>outside/</c> (root-owned canaries a service could point symlinks at). Removed on dispose.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ProvisionScratch : IDisposable
{
    private readonly TempDirectory _dir = new("pm-prov-");

    public ProvisionScratch()
    {
        Root = _dir.Path;
        Work = Path.Combine(Root, "work");
        Outside = Path.Combine(Root, "outside");
        Directory.CreateDirectory(Work);
        Directory.CreateDirectory(Outside);
    }

    public string Root { get; }

    public string Work { get; }

    public string Outside { get; }

    public ChildProcessRegistry Children { get; } = new();

    public string Marker => Path.Combine(Work, Provisioner.MarkerName);

    /// <summary>
    /// A definition whose working directory is <see cref="Work"/>; <paramref name="entries"/> is the YAML list under
    /// provisioning:. Targets outside the working directory are allowed (the master opt-in), so the provisioner's
    /// own defences are what these tests exercise.
    /// </summary>
    public ServiceDefinition Definition(string entries)
    {
        string yaml = $"application: prov\nprocess:\n  working_directory: \"{Work}\"\nprovisioning:\n{entries}";
        ConfigResult<ServiceDefinition> parsed = ServiceDefinitionParser.Parse(Path.Combine(Root, "prov.yaml"), yaml,
            new ServiceParseContext(null, "root", "root", AllowProvisioningOutsideWorkingDirectory: true));
        Assert.True(parsed.IsValid, parsed.ToString());
        return parsed.Value;
    }

    public ProvisioningOutcome Apply(string entries, ProvisioningOptions? options = null) =>
        Provisioner.Apply(Definition(entries), Children, options ?? ProvisioningOptions.Default);

    /// <summary>A root-owned 0600 file outside the working directory.</summary>
    public string Canary(string name)
    {
        string path = Path.Combine(Outside, name);
        File.WriteAllText(path, "ORIGINAL\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>uid:gid of <paramref name="path"/> itself (a symlink is not followed).</summary>
    public static string OwnerOf(string path) => Run("/usr/bin/stat", "-c", "%u:%g", path).Trim();

    /// <summary>The permission bits of <paramref name="path"/> in octal, e.g. <c>750</c> (not following a symlink).</summary>
    public static string ModeOf(string path) => Run("/usr/bin/stat", "-c", "%a", path).Trim();

    public static string Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        using Process p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(10_000), $"{program} did not finish");
        Assert.True(p.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {p.ExitCode}: {output}");
        return output;
    }

    public static T Expect<T>(ProvisioningOutcome outcome)
        where T : ProvisioningOutcome =>
        outcome as T ?? throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {outcome}");

    public void Dispose() => _dir.Dispose();
}
