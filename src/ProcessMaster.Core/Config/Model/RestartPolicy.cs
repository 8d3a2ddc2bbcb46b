using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

/// <summary><c>restart_policy.*</c> of a long-running service.</summary>
public abstract record RestartPolicy
{
    private protected RestartPolicy()
    {
    }

    /// <summary>The largest accepted <c>tolerance.max_restarts</c>.</summary>
    public const int MaxRestartsLimit = 500;

    /// <summary>The policy used when the section is omitted: always, 1000 ms, 3 restarts per 180 s.</summary>
    public static RestartPolicy Default { get; } = new Always(Duration.FromMilliseconds(1000), 3, Duration.FromMilliseconds(180_000));

    /// <summary>Restart after every exit, waiting <paramref name="Backoff"/>; give up (FAILED) when more than
    /// <paramref name="MaxRestarts"/> restarts happen within <paramref name="Window"/>.</summary>
    public sealed record Always(Duration Backoff, int MaxRestarts, Duration Window) : RestartPolicy;

    /// <summary>Never restart automatically.</summary>
    public sealed record Never : RestartPolicy;
}
