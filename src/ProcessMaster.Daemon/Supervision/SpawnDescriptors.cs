using ProcessMaster.Linux.Handles;
using ProcessMaster.Linux.Spawn;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>The stdout/stderr targets of one spawn and the descriptors the daemon opened for them (disposed after the spawn).</summary>
internal sealed class SpawnDescriptors : IDisposable
{
    private readonly List<SafeFdHandle> _owned = new(2);

    public SpawnOutput Stdout { get; set; } = SpawnOutput.Null;

    public SpawnOutput Stderr { get; set; } = SpawnOutput.SameAsStdout;

    public SpawnOutput Keep(SafeFdHandle handle)
    {
        _owned.Add(handle);
        return SpawnOutput.Descriptor(handle);
    }

    public void Dispose()
    {
        foreach (var handle in _owned) handle.Dispose();
    }
}
