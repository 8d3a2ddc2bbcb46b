namespace ProcessMaster.Testing;

/// <summary>Paths inside this repository and to the binaries the current test build produced.</summary>
public static class Repository
{
    /// <summary>The repository root (the directory holding ProcessMaster.slnx).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The JIT-built daemon from this build (<c>processmaster</c> apphost).</summary>
    public static string Daemon => Binary("ProcessMaster.Daemon", "processmaster");

    /// <summary>The JIT-built CLI from this build (<c>pmctl</c> apphost).</summary>
    public static string Pmctl => Binary("ProcessMaster.Cli", "pmctl");

    /// <summary>A file under the repository root.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Binary(string project, string name)
    {
        string path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", "linux-x64", name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: build the solution first (dotnet build ProcessMaster.slnx)", path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ProcessMaster.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no ProcessMaster.slnx above {AppContext.BaseDirectory}");
    }
}
