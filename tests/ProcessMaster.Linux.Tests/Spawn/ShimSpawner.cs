using ProcessMaster.Linux.Spawn;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests.Spawn;

/// <summary>Spawners pointed at the built <c>processmaster</c> (JIT apphost) and request shortcuts.</summary>
internal static class ShimSpawner
{
    /// <summary>Set to a published (e.g. NativeAOT) <c>processmaster</c> to run the spawn tests against it instead of the JIT build.</summary>
    public const string ShimOverrideVariable = "PM_TEST_SPAWN_SHIM";

    public static string ShimPath => Environment.GetEnvironmentVariable(ShimOverrideVariable) is { Length: > 0 } path ? path : Repository.Daemon;

    public static Spawner Create(ChildProcessRegistry? registry = null) =>
        new(registry ?? new ChildProcessRegistry()) { ShimPath = ShimPath };

    public static SpawnRequest Sh(string script, string? cgroupPath = null, string workingDirectory = "/tmp") =>
        new("/bin/sh", ["-c", script], workingDirectory, SpawnEnvironment.Clean(null, []))
        {
            CgroupPath = cgroupPath,
            Subject = "test",
        };

    public static SpawnResult.Started AssertStarted(SpawnResult result) =>
        result as SpawnResult.Started ?? throw new Xunit.Sdk.XunitException($"expected the spawn to start, got: {result}");

    public static SpawnResult.Failed AssertFailed(SpawnResult result) =>
        result as SpawnResult.Failed ?? throw new Xunit.Sdk.XunitException($"expected the spawn to fail, got: {result}");
}
