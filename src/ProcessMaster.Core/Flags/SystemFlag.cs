namespace ProcessMaster.Core.Flags;

/// <summary>
/// The 21 system flags, in the original's declaration order (which is also the display order).
/// Only the daemon sets them; their wire names are given by <see cref="SystemFlags.Name"/>.
/// </summary>
public enum SystemFlag
{
    /// <summary><c>failed</c>: the service gave up restarting (or never confirmed a start).</summary>
    Failed,
    /// <summary><c>backoff</c>: an automatic restart is pending; expires with the backoff.</summary>
    Backoff,
    /// <summary><c>outdated</c>: a reload kept the last-known-good definition for this service.</summary>
    Outdated,
    /// <summary><c>user_stop</c>: an operator stopped the service.</summary>
    UserStop,
    /// <summary><c>user_start</c>: an operator started (or restarted) the running instance.</summary>
    UserStart,
    /// <summary><c>ot_killed</c>: a job run was stopped for exceeding <c>max_time_per_run</c>.</summary>
    OtKilled,
    /// <summary><c>exit_ok</c>: the last job run exited 0.</summary>
    ExitOk,
    /// <summary><c>exit_err</c>: the last job run failed.</summary>
    ExitErr,
    /// <summary><c>dummy1</c>: set only through rules (<c>exit_ok</c> also sets it).</summary>
    Dummy1,
    /// <summary><c>dummy2</c>: set only through rules (<c>exit_err</c> also sets it).</summary>
    Dummy2,
    /// <summary><c>dummy3</c>: rule-only placeholder.</summary>
    Dummy3,
    /// <summary><c>dummy4</c>: rule-only placeholder.</summary>
    Dummy4,
    /// <summary><c>dummy5</c>: rule-only placeholder.</summary>
    Dummy5,
    /// <summary><c>dummy6</c>: rule-only placeholder.</summary>
    Dummy6,
    /// <summary><c>dummy7</c>: rule-only placeholder.</summary>
    Dummy7,
    /// <summary><c>dummy8</c>: rule-only placeholder.</summary>
    Dummy8,
    /// <summary><c>dummy9</c>: rule-only placeholder.</summary>
    Dummy9,
    /// <summary><c>dummy10</c>: rule-only placeholder.</summary>
    Dummy10,
    /// <summary><c>system_start</c>: the daemon started the running instance (boot, schedule, auto-restart, reload).</summary>
    SystemStart,
    /// <summary><c>no_flag</c>: its default rule clears every other flag.</summary>
    NoFlag,
    /// <summary><c>flag_bug</c>: reserved for a runaway rule chain (cannot happen with 21 flags).</summary>
    FlagBug,
}
