namespace ProcessMaster.Core.Lifecycle;

/// <summary>Who asked for a start or stop.</summary>
public enum Requester
{
    /// <summary>An operator (RPC, pmctl, web console): changes <see cref="Desired"/>.</summary>
    Operator,
    /// <summary>The daemon itself (boot, reload, shutdown): respects <see cref="Desired"/>.</summary>
    System,
    /// <summary>The cron scheduler (jobs only).</summary>
    Schedule,
}
