namespace ProcessMaster.Linux.Cgroups;

/// <summary>
/// Validates a cgroup directory name before any path is built from it: a single path segment of
/// <c>[A-Za-z0-9._-]</c>, 1 to 255 bytes, no leading dot, not starting with the reserved <c>cgroup.</c> prefix.
/// </summary>
public static class CgroupName
{
    /// <summary>Longest name a directory entry may have (NAME_MAX).</summary>
    public const int MaxLength = 255;

    /// <summary>Returns null when <paramref name="name"/> is acceptable, otherwise the reason it is refused.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "cgroup name is empty; use 1 to 255 characters of [A-Za-z0-9._-]";
        }

        if (name.Length > MaxLength)
        {
            return $"cgroup name \"{name[..16]}...\" is {name.Length} characters long; the limit is {MaxLength}";
        }

        if (name[0] == '.')
        {
            return $"cgroup name \"{name}\" starts with a dot; names may not be hidden or refer to . or ..";
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                string shown = c == '/' ? "/" : char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();
                return $"cgroup name \"{name}\" contains \"{shown}\"; use only [A-Za-z0-9._-] (a single path segment)";
            }
        }

        if (name.StartsWith("cgroup.", StringComparison.Ordinal))
        {
            return $"cgroup name \"{name}\" starts with \"cgroup.\", which the kernel reserves for interface files";
        }

        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with the reason when the name is refused.</summary>
    public static void ThrowIfInvalid(string? name)
    {
        string? problem = Validate(name);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(name));
        }
    }
}
