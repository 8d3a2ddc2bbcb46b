namespace ProcessMaster.Linux.Logs;

/// <summary>Turning a batch of inotify events into reads and file switches.</summary>
public sealed partial class LogFollower
{
    private bool _modified;
    private bool _switched;

    private void HandleBatch()
    {
        bool modified = _modified, switched = _switched;
        _modified = _switched = false;
        if (modified || switched) ReadNew();
        if (!switched) return;
        // Rotation: the old file is complete (capture rotates at a line end); take the new one from its start.
        if (_partial.Count > 0) FlushPartial();
        if (OpenCurrent(atEnd: false)) ReadNew();
    }
}
