namespace ProcessMaster.Core.Restart;

/// <summary>
/// How a service is restarted after it stops on its own (YAML <c>restart_policy</c>, read into this type by the definition parser).
/// More than <see cref="MaxRestarts"/> crashes within <see cref="Window"/> mark the service failed.
/// </summary>
/// <param name="Mode"><c>always</c> or <c>never</c>.</param>
/// <param name="Backoff">Delay before an automatic restart (<c>restart_backoff_ms</c>).</param>
/// <param name="MaxRestarts">Crashes tolerated within <see cref="Window"/> (<c>tolerance.max_restarts</c>).</param>
/// <param name="Window">The tolerance window (<c>tolerance.duration</c>).</param>
public sealed record RestartPolicy(RestartMode Mode, TimeSpan Backoff, int MaxRestarts, TimeSpan Window)
{
    /// <summary>The largest accepted <c>tolerance.max_restarts</c>.</summary>
    public const int MaxRestartsLimit = 500;

    /// <summary>The policy of a service without a <c>restart_policy</c> section: always, 1 s, 3 within 3 min.</summary>
    public static RestartPolicy Default { get; } = new(RestartMode.Always, TimeSpan.FromSeconds(1), 3, TimeSpan.FromMinutes(3));

    /// <summary>The policy for <c>policy: never</c>.</summary>
    public static RestartPolicy Never { get; } = Default with { Mode = RestartMode.Never };

    /// <summary>
    /// The delay before restart number <paramref name="attempt"/> (1-based, counted within the window).
    /// Fixed today; the one place exponential backoff will change.
    /// </summary>
    public TimeSpan DelayFor(int attempt) => Backoff;
}
