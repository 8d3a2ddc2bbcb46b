namespace ProcessMaster.Linux.Spawn;

/// <summary>The step of a spawn that failed (enum pm_spawn_step in <c>Native/pm_spawn.c</c>).</summary>
internal enum SpawnStep
{
    None = 0,
    Pipe = 1,
    Clone = 2,
    Cgroup = 3,
    Setsid = 4,
    Stdio = 5,
    OomScoreAdj = 6,
    Rlimit = 7,
    SetGroups = 8,
    SetGid = 9,
    SetUid = 10,
    Verify = 11,
    NoNewPrivs = 12,
    Chdir = 13,
    CloseRange = 14,
    Signals = 15,
    Execve = 16,

    /// <summary>The exit keeper ended before it reported (see <see cref="ExitRecords"/>).</summary>
    Keeper = 17,
}
