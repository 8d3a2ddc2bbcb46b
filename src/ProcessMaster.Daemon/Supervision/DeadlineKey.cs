namespace ProcessMaster.Daemon.Supervision;

/// <summary>What a deadline of a service is for; each kind has one deadline per service at most.</summary>
internal enum DeadlineKind
{
    /// <summary>The lifecycle state's own deadline (start, stop, kill, backoff): <c>DeadlineReached</c> for Decide.</summary>
    State,

    /// <summary>The earliest expiry of the service's user flags (<see cref="UserFlagExpiry"/>).</summary>
    UserFlags,

    /// <summary>A job's next occurrence (<see cref="CronRunner"/>).</summary>
    Cron,

    /// <summary>Read <c>cgroup.events</c> again after it could not be read for want of a resource.</summary>
    Recheck,
}

/// <summary>The key of one deadline in the <see cref="DeadlineSchedule"/>: its kind and the service it belongs to.</summary>
internal readonly record struct DeadlineKey(DeadlineKind Kind, string Service)
{
    public static DeadlineKey State(string service) => new(DeadlineKind.State, service);

    public static DeadlineKey UserFlags(string service) => new(DeadlineKind.UserFlags, service);

    public static DeadlineKey Cron(string service) => new(DeadlineKind.Cron, service);

    public static DeadlineKey Recheck(string service) => new(DeadlineKind.Recheck, service);

    public override string ToString() => $"{Kind}:{Service}";
}
