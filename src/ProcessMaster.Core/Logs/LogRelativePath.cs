namespace ProcessMaster.Core.Logs;

/// <summary>
/// A log path relative to a service's working directory, split into the directories to walk and the file
/// name. Every component is a plain name: no "..", no empty component, no NUL; "." components are dropped.
/// </summary>
/// <param name="Directories">Directories from the working directory down, each one component.</param>
/// <param name="FileName">The log file's name.</param>
public sealed record LogRelativePath(IReadOnlyList<string> Directories, string FileName)
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why and how to fix it.</summary>
    public static bool TryParse(string text, out LogRelativePath? path, out string? error)
    {
        path = null;
        error = null;
        if (string.IsNullOrEmpty(text)) { error = "log path is empty; give a path relative to the working directory, e.g. logs/stdout.log"; return false; }
        if (text.StartsWith('/')) { error = $"log path \"{text}\" is absolute; give it relative to the working directory, e.g. logs/stdout.log"; return false; }
        if (text.Contains('\0')) { error = $"log path \"{text.Replace("\0", "\\0", StringComparison.Ordinal)}\" contains a NUL byte"; return false; }
        var parts = new List<string>();
        foreach (string part in text.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..") { error = $"log path \"{text}\" leaves the working directory (\"..\"); keep it inside, e.g. logs/stdout.log"; return false; }
            parts.Add(part);
        }
        if (parts.Count == 0 || text.EndsWith('/')) { error = $"log path \"{text}\" names a directory, not a file"; return false; }
        path = new LogRelativePath(parts[..^1], parts[^1]);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join('/', [.. Directories, FileName]);
}
