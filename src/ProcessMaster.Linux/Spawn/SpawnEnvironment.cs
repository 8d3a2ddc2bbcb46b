using System.Collections;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Systemd;

namespace ProcessMaster.Linux.Spawn;

/// <summary>Builds the final environment list of a child (SPEC §3.5).</summary>
public static class SpawnEnvironment
{
    /// <summary>PATH of a clean environment.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// A clean environment: PATH, HOME (the user's home or <c>/</c>), USER and LOGNAME (the user's name or
    /// <c>root</c>), SHELL=/bin/sh, then <paramref name="configured"/> entries, which override those.
    /// </summary>
    public static IReadOnlyList<string> Clean(UserCredentials? user, IEnumerable<KeyValuePair<string, string>> configured)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = DefaultPath,
            ["HOME"] = user?.Home ?? "/",
            ["USER"] = user?.UserName ?? "root",
            ["LOGNAME"] = user?.UserName ?? "root",
            ["SHELL"] = "/bin/sh",
        };
        return Apply(env, configured);
    }

    /// <summary>
    /// The daemon's own environment with <paramref name="configured"/> entries layered on top
    /// (<c>process.inherit_environment: true</c>), without the service manager's variables that address the daemon
    /// itself (<see cref="ServiceManagerEnvironment.DaemonOnlyVariables"/>: <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_*</c>, ...).
    /// </summary>
    public static IReadOnlyList<string> Inherit(IEnumerable<KeyValuePair<string, string>> configured)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        foreach (string name in ServiceManagerEnvironment.DaemonOnlyVariables)
        {
            env.Remove(name);
        }

        return Apply(env, configured);
    }

    /// <summary>Returns null when <paramref name="name"/> can be an environment variable name, otherwise why not.</summary>
    public static string? ValidateName(string name) =>
        name.Length == 0 ? "environment variable name is empty"
        : name.Contains('=', StringComparison.Ordinal) ? $"environment variable name \"{name}\" contains \"=\""
        : name.Contains('\0', StringComparison.Ordinal) ? $"environment variable name \"{name}\" contains a NUL byte"
        : null;

    private static List<string> Apply(Dictionary<string, string> env, IEnumerable<KeyValuePair<string, string>> configured)
    {
        foreach ((string name, string value) in configured)
        {
            string? problem = ValidateName(name);
            if (problem is not null)
            {
                throw new ArgumentException(problem, nameof(configured));
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"environment variable \"{name}\" has a NUL byte in its value", nameof(configured));
            }

            env[name] = value;
        }

        return env.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value).ToList();
    }
}
