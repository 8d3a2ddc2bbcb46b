namespace ProcessMaster.Testing;

/// <summary>
/// A fresh directory of this test's own under /tmp (mode 0700, a short path: unix socket paths are limited to 107
/// bytes), removed with everything in it on dispose. The one temp-directory helper of the test projects.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <param name="prefix">Starts the directory's name, so a leftover says which tests made it (e.g. <c>pm-state-</c>).</param>
    public TempDirectory(string prefix = "pm-test-")
    {
        Path = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
    }

    /// <summary>The directory's absolute path.</summary>
    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> (one or more segments) inside the directory; nothing is created.</summary>
    public string File(params string[] name) => System.IO.Path.Combine([Path, .. name]);

    /// <summary>Creates (if missing) and returns the subdirectory <paramref name="name"/>.</summary>
    public string Subdirectory(string name) => System.IO.Directory.CreateDirectory(File(name)).FullName;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Something a test left busy (a mount, a live process's cwd); the name says whose it is.
        }
    }
}
