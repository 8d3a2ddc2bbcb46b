namespace ProcessMaster.Linux.Logs;

/// <summary>One job for the <see cref="LogWorkerPool"/>.</summary>
/// <param name="Run">The work (runs on a pool thread; must not throw for expected failures).</param>
/// <param name="Drop">Called instead of <paramref name="Run"/> when the pool stops before the job started.</param>
internal sealed record LogWork(Action Run, Action Drop);
