using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests;

/// <summary>A pmctl from a second, separate build (so with another build stamp), built once per test run.</summary>
internal static class OtherBuild
{
    private static readonly Lazy<Task<string>> Pmctl = new(BuildAsync);

    /// <summary>The path of the other build's pmctl.</summary>
    public static Task<string> PmctlAsync() => Pmctl.Value;

    private static async Task<string> BuildAsync()
    {
        string artifacts = Path.Combine(Path.GetTempPath(), $"pm-other-build-{Environment.ProcessId}");
        CommandResult build = await CommandRun.RunAsync("dotnet",
            ["build", Repository.PathOf("src/ProcessMaster.Cli/ProcessMaster.Cli.csproj"), "--artifacts-path", artifacts, "-v", "q", "-nologo"],
            timeout: TimeSpan.FromMinutes(5));
        if (build.ExitCode != 0) throw new InvalidOperationException($"the second build failed: {build}");
        return Directory.EnumerateFiles(artifacts, "pmctl", SearchOption.AllDirectories).Single(f => f.Contains("/bin/", StringComparison.Ordinal));
    }
}
