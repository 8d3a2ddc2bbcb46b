namespace ProcessMaster.Protocol;

/// <summary>
/// The co-built stamp shared by <c>processmaster</c> and <c>pmctl</c> (see build/BuildStamp.targets).
/// The daemon refuses a client whose stamp differs.
/// </summary>
public static partial class BuildInfo
{
    /// <summary>The one-line banner both binaries print: <c>Process master (built on HOST at TIME).</c></summary>
    public static string Banner => $"Process master (built on {Host} at {Time} UTC).";

    /// <summary>Compact form for the web console navbar.</summary>
    public static string ShortStamp => $"{Host} · {Time}";

    /// <summary>True when a peer's stamp is exactly ours.</summary>
    public static bool Matches(string? host, string? time) =>
        string.Equals(host, Host, StringComparison.Ordinal) && string.Equals(time, Time, StringComparison.Ordinal);

    /// <summary>The refusal text for a client built separately from this daemon.</summary>
    public static string NotCoBuiltMessage(string? clientHost, string? clientTime) =>
        "pmctl is not co-built with this daemon.\n" +
        $"  daemon: built on {Host} at {Time} UTC\n" +
        $"  pmctl:  built on {clientHost ?? "unknown"} at {clientTime ?? "unknown"} UTC\n" +
        "Fix: rebuild and deploy processmaster and pmctl from the same build (build/publish.sh builds both with one stamp).";
}
