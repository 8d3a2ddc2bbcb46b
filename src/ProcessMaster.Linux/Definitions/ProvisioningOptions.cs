namespace ProcessMaster.Linux.Definitions;

/// <summary>Where <see cref="Provisioner"/> finds <c>setcap</c> and how long it lets it run.</summary>
/// <param name="SetcapCandidates">Absolute paths tried in order; the first regular file is used.</param>
/// <param name="SetcapTimeout">After this, setcap is killed and the entry fails.</param>
public sealed record ProvisioningOptions(IReadOnlyList<string> SetcapCandidates, TimeSpan SetcapTimeout)
{
    /// <summary><c>/usr/sbin/setcap</c>, then <c>/sbin/setcap</c> (Debian package libcap2-bin); 10 seconds.</summary>
    public static ProvisioningOptions Default { get; } = new(["/usr/sbin/setcap", "/sbin/setcap"], TimeSpan.FromSeconds(10));
}
