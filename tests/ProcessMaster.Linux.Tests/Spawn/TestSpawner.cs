using System.Threading.Channels;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Linux.Watchers;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Spawn;

/// <summary>Spawners as the daemon builds them (a registry and a kernel event watcher that reaps), and request shortcuts.</summary>
internal static class TestSpawner
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>One watcher for the whole test run reaps every child the tests spawn.</summary>
    public static KernelEventWatcher Reaper { get; } = new(Channel.CreateUnbounded<KernelEvent>().Writer);

    /// <summary>The start-up check, once, as the daemon does (after <see cref="Reaper"/>: static initializers run in order).</summary>
    private static readonly (string? Problem, bool Disabled) Check = CheckCloneIntoCgroup();

    /// <summary>What the check found about CLONE_INTO_CGROUP on this machine (null: it works everywhere).</summary>
    public static string? CloneIntoCgroupProblem => Check.Problem;

    /// <summary>True when the check turned CLONE_INTO_CGROUP off for every spawn (clone3 refused, or even fresh cgroups kill their child).</summary>
    public static bool CloneIntoCgroupDisabled => Check.Disabled;

    public static Spawner Create(ChildProcessRegistry? registry = null)
    {
        _ = Check;
        return new(registry ?? new ChildProcessRegistry(), Reaper);
    }

    public static SpawnRequest Sh(string script, CgroupNode? cgroup = null, string workingDirectory = "/tmp") =>
        new("/bin/sh", ["-c", script], workingDirectory, SpawnEnvironment.Clean(null, []))
        {
            Cgroup = cgroup,
            Subject = "test",
        };

    public static SpawnResult.Started AssertStarted(SpawnResult result) =>
        result as SpawnResult.Started ?? throw new Xunit.Sdk.XunitException($"expected the spawn to start, got: {result}");

    public static SpawnResult.Failed AssertFailed(SpawnResult result) =>
        result as SpawnResult.Failed ?? throw new Xunit.Sdk.XunitException($"expected the spawn to fail, got: {result}");

    private static (string?, bool) CheckCloneIntoCgroup()
    {
        using var sandbox = CgroupSandbox.Create();
        using CgroupNode root = CgroupNode.Open(sandbox.Path);
        var spawner = new Spawner(new ChildProcessRegistry(), Reaper);
        string? problem = spawner.CheckCloneIntoCgroup(root);
        return (problem, spawner.CloneIntoCgroupDisabled);
    }

    /// <summary>Waits until the daemon-side reaper has collected the child's exit status.</summary>
    public static Task<ExitStatus> ExitAsync(this SpawnResult.Started started) =>
        started.Child.Exit.WaitAsync(Wait, TestContext.Current.CancellationToken);
}
