using System.Globalization;
using ProcessMaster.Core.Config;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Definitions;

/// <summary>
/// A definition decides what runs as which user, so it is used only when no one but root (or the daemon's own
/// user) could have written it (audit N-01, like sshd's StrictModes): the definition file and every directory from
/// it up to <c>global.config_directory</c> / <c>global.auto_service_directory</c> (inclusive) must be owned by
/// root or by the daemon's effective uid, and not writable by group or others. The check is made on the descriptors
/// the definition is read through, so it cannot be raced.
/// </summary>
/// <param name="DaemonUid">The daemon's effective uid once started (after <c>global.user</c>).</param>
public sealed record DefinitionTrust(uint DaemonUid)
{
    /// <summary>Null when <paramref name="status"/> (of <paramref name="path"/>) is trusted; otherwise why not, in words.</summary>
    public string? Distrust(EntryStatus status, string path)
    {
        bool owner = status.Uid == 0 || status.Uid == DaemonUid;
        bool writable = (status.Mode & UnixMode.GroupOrOtherWrite) != 0;
        if (owner && !writable) return null;
        string name = UserDatabase.FindUserById(status.Uid)?.Name ?? "no passwd entry";
        return string.Create(CultureInfo.InvariantCulture,
            $"{path} is owned by uid {status.Uid} ({name}) with mode {UnixMode.Format(status.Mode)}");
    }

    /// <summary>The problem reported for the definition <paramref name="file"/> when <paramref name="distrust"/> (from <see cref="Distrust"/>) names <paramref name="element"/>.</summary>
    public ConfigError Refusal(string file, string element, string distrust, string root)
    {
        string owners = DaemonUid == 0 ? "root" : string.Create(CultureInfo.InvariantCulture, $"root or uid {DaemonUid} (the daemon's user)");
        return new ConfigError(file, 0, 0, "",
            $"not loaded: {distrust}; a definition decides what runs as which user, so the file and every directory up to {root} "
            + $"must be owned by {owners} and not writable by group or others (anyone who can write there could run anything as any user)",
            $"chown root:root {element} && chmod go-w {element}, then run `pmctl update`");
    }
}
