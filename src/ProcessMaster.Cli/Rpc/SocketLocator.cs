using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ProcessMaster.Cli.Rpc;

/// <summary>
/// Finds the daemon's socket: <c>--sock</c>, then <c>PMCTL_SOCK</c>, then <c>unix_socket.path</c> of the master config
/// given with <c>-c</c> (relative paths resolved against the config file's directory), then the default path.
/// </summary>
internal static class SocketLocator
{
    /// <summary>The daemon's default socket (SPEC §3.12).</summary>
    public const string DefaultPath = "/run/processmaster/processmaster.sock";

    /// <summary>The environment variable pmctl reads.</summary>
    public const string EnvironmentVariable = "PMCTL_SOCK";

    /// <summary>Shown when no socket was given and none exists at the default path (the original's help, adapted).</summary>
    public const string NoSocketHelp =
        "no processmaster socket specified, and none at the default path " + DefaultPath + "\n" +
        "\n" +
        "Tell pmctl where the daemon's unix socket is, in one of these ways (first wins):\n" +
        "  - pmctl --sock /path/to/processmaster.sock <command>\n" +
        "  - pmctl -s /path/to/processmaster.sock <command>\n" +
        "  - export PMCTL_SOCK=/path/to/processmaster.sock\n" +
        "  - pmctl -c /etc/processmaster/config.yaml <command>   (reads unix_socket.path from the daemon's config)\n" +
        "\n" +
        "Examples:\n" +
        "  pmctl --sock /tmp/processmaster.sock status\n" +
        "  PMCTL_SOCK=/tmp/processmaster.sock pmctl events -n 200\n" +
        "\n" +
        "If you start the daemon with a custom unix_socket.path, pass the same path here.";

    /// <summary>Resolves the socket path or throws <see cref="CliException"/> with the help text.</summary>
    public static string Locate(string? sock, string? config, Func<string, string?> environment, Func<string, bool>? exists = null)
    {
        if (sock is not null)
        {
            return string.IsNullOrWhiteSpace(sock) ? throw new CliException("--sock is empty; give the daemon's socket path") : sock;
        }
        string? fromEnvironment = environment(EnvironmentVariable)?.Trim();
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        if (config is not null) return FromConfig(config);
        return (exists ?? File.Exists)(DefaultPath) ? DefaultPath : throw new CliException(NoSocketHelp);
    }

    /// <summary>Reads only <c>unix_socket.path</c> from a master config (the daemon's default when absent).</summary>
    public static string FromConfig(string configPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(configPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"config {configPath}: cannot read it: {e.Message.TrimEnd('.')}; pass the daemon's master config with -c, or the socket with --sock", e);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new CliException($"config {configPath}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}; fix the file or pass --sock", e);
        }

        string? value = null;
        if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root &&
            root.Children.TryGetValue(new YamlScalarNode("unix_socket"), out YamlNode? section) && section is YamlMappingNode socket &&
            socket.Children.TryGetValue(new YamlScalarNode("path"), out YamlNode? pathNode))
        {
            if (pathNode is not YamlScalarNode scalar)
            {
                throw new CliException($"config {configPath}:{pathNode.Start.Line}:{pathNode.Start.Column}: unix_socket.path must be a string");
            }
            value = scalar.Value;
        }
        if (string.IsNullOrWhiteSpace(value)) return DefaultPath;
        string directory = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        return Path.GetFullPath(value, directory);
    }
}
