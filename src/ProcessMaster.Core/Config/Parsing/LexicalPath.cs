namespace ProcessMaster.Core.Config.Parsing;

/// <summary>Pure string path arithmetic (no file system access, no symlink resolution).</summary>
internal static class LexicalPath
{
    /// <summary>Joins <paramref name="path"/> onto <paramref name="baseDirectory"/> unless it is absolute, then normalises.</summary>
    public static string Resolve(string baseDirectory, string path) =>
        Normalize(Path.IsPathRooted(path) || baseDirectory.Length == 0 ? path : Path.Combine(baseDirectory, path));

    /// <summary>Removes <c>.</c> and empty segments and folds <c>..</c> (never above the root of an absolute path).</summary>
    public static string Normalize(string path)
    {
        bool absolute = path.StartsWith('/');
        var parts = new List<string>();
        foreach (string segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (segment != ".." || !absolute)
            {
                parts.Add(segment);
            }
        }

        string joined = string.Join('/', parts);
        return absolute ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>True when normalised <paramref name="path"/> is <paramref name="directory"/> or below it.</summary>
    public static bool IsInside(string directory, string path)
    {
        string dir = Normalize(directory);
        string p = Normalize(path);
        if (p.StartsWith("../", StringComparison.Ordinal) || p == "..")
        {
            return false;
        }

        return dir == "/" ? p.StartsWith('/') : p == dir || p.StartsWith(dir + "/", StringComparison.Ordinal);
    }
}
