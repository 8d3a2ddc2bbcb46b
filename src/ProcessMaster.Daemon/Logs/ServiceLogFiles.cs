using ProcessMaster.Core.Config.Model;

namespace ProcessMaster.Daemon.Logs;

/// <summary>A log file an operator may read: captured stdout/stderr or a hint the service writes itself.</summary>
/// <param name="App">The service.</param>
/// <param name="Path">Absolute path.</param>
internal sealed record ServiceLogFile(string App, string Path)
{
    /// <summary>The file name, for <c>logs -f --file NAME</c>.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>stdout, stderr (when it is another file), then each hint sorted by path. Hints are confined to the
    /// working directory by the configuration (checked at load).</summary>
    public static IReadOnlyList<ServiceLogFile> Of(ServiceDefinition definition)
    {
        string app = definition.Name.Value;
        var files = new List<ServiceLogFile> { new(app, definition.Logs.Stdout) };
        if (!string.Equals(definition.Logs.Stderr, definition.Logs.Stdout, StringComparison.Ordinal))
            files.Add(new(app, definition.Logs.Stderr));
        foreach (string hint in definition.Logs.Hints.Order(StringComparer.Ordinal))
            if (files.All(f => f.Path != hint)) files.Add(new(app, hint));
        return files;
    }
}
