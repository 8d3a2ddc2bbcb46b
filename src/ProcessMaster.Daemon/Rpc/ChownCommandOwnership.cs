using System.Diagnostics;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// <see cref="ISocketOwnership"/> through coreutils <c>chown(1)</c>, run once at bind time: it resolves names exactly
/// as getpwnam/getgrnam do. The daemon may swap in a Linux-layer implementation (fchownat) without changing the listener.
/// </summary>
public sealed class ChownCommandOwnership : ISocketOwnership
{
    /// <inheritdoc />
    public void Apply(string path, string? owner, string? group)
    {
        if (owner is null && group is null) return;
        string spec = group is null ? owner! : $"{owner}:{group}";
        var start = new ProcessStartInfo("chown") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(spec);
        start.ArgumentList.Add(path);
        using Process process = Process.Start(start)
            ?? throw new SocketSetupException($"unix socket {path}: cannot chown to {spec}: chown(1) did not start; check PATH");
        string error = process.StandardError.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode == 0) return;
        string which = error.Contains("invalid group", StringComparison.Ordinal) ? $"unknown unix_socket.group \"{group}\""
            : error.Contains("invalid user", StringComparison.Ordinal) ? $"unknown unix_socket.owner user \"{owner}\""
            : error;
        throw new SocketSetupException($"unix socket {path}: cannot chown to {spec}: {which}; fix unix_socket.owner/group (or set them to null)");
    }
}
