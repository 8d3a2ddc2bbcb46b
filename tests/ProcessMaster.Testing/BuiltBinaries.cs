namespace ProcessMaster.Testing;

/// <summary>Locates the binaries the solution builds (JIT apphosts next to their dlls), for tests that run them as processes.</summary>
public static class BuiltBinaries
{
    /// <summary>The <c>processmaster</c> apphost built alongside the test project (ProjectReference with ReferenceOutputAssembly=false).</summary>
    public static string Daemon => Locate("ProcessMaster.Daemon", "processmaster");

    /// <summary>The <c>pmctl</c> apphost.</summary>
    public static string Cli => Locate("ProcessMaster.Cli", "pmctl");

    private static string Locate(string project, string executable)
    {
        string baseDir = AppContext.BaseDirectory; // .../tests/X/bin/<Configuration>/net10.0/linux-x64/
        string? root = baseDir;
        while (root is not null && !File.Exists(Path.Combine(root, "ProcessMaster.slnx")))
        {
            root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root));
        }

        if (root is null)
        {
            throw new InvalidOperationException($"cannot find ProcessMaster.slnx above {baseDir}");
        }

        string relative = Path.GetRelativePath(root, baseDir);          // tests/X/bin/Debug/net10.0/linux-x64
        string[] parts = relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        int bin = Array.IndexOf(parts, "bin");
        string outputTail = Path.Combine(parts[(bin + 1)..]);             // Debug/net10.0/linux-x64
        string path = Path.Combine(root, "src", project, "bin", outputTail, executable);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing; build src/{project} (the test project references it, so `dotnet test` builds it)", path);
    }
}
