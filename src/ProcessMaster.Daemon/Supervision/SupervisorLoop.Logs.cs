using ProcessMaster.Linux.Handles;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Logs;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Daemon.Events;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Where a spawn's output goes: the main process writes into its capture FIFOs (<see cref="ServiceCaptures"/>),
/// a stop_command appends to its own files.
/// </summary>
internal sealed partial class SupervisorLoop
{
    /// <summary>stdout and stderr of the main process: new descriptors on the capture FIFOs (the caller disposes them after the spawn).</summary>
    private SpawnDescriptors ServiceOutputs(ServiceSlot slot)
    {
        (SafeFdHandle stdout, SafeFdHandle? stderr) = _captures.OpenForChild(slot.Definition);
        var descriptors = new SpawnDescriptors();
        descriptors.Stdout = descriptors.Keep(stdout);
        descriptors.Stderr = stderr is null ? SpawnOutput.SameAsStdout : descriptors.Keep(stderr);
        return descriptors;
    }

    /// <summary>
    /// stop_command output: appended to <c>logs.stop_command_stdout/stderr</c>, opened here by the daemon through the
    /// same no-follow walk as log capture (the child gets the descriptor, never the path), or discarded when set to
    /// null. A target that is refused (a symlink on the way, not a regular file, hard links) is journaled and that
    /// stream is discarded; the stop command still runs.
    /// </summary>
    private SpawnDescriptors StopCommandOutputs(ServiceSlot slot)
    {
        LogSettings logs = slot.Definition.Logs;
        var descriptors = new SpawnDescriptors();
        descriptors.Stdout = logs.StopCommandStdout is { } o ? OpenStopCommandOutput(slot, "stdout", o, descriptors) : SpawnOutput.Null;
        descriptors.Stderr = logs.StopCommandStderr is { } e
            ? ServiceCaptures.SamePath(e, logs.StopCommandStdout) ? SpawnOutput.SameAsStdout : OpenStopCommandOutput(slot, "stderr", e, descriptors)
            : SpawnOutput.Null;
        return descriptors;
    }

    private SpawnOutput OpenStopCommandOutput(ServiceSlot slot, string stream, string file, SpawnDescriptors descriptors)
    {
        try
        {
            ServiceFileLocation path = ServiceFileLocation.Of(file, slot.Definition.Process.WorkingDirectory);
            using ConfinedDirectory directory = path.OpenDirectory(create: true, ServiceCaptures.DirectoryOwner(slot.Definition));
            return descriptors.Keep(directory.OpenAppendFile(path.FileName, LogFileMode));
        }
        catch (IOException e)
        {
            string what = e is UnsafePathException ? "refused" : "cannot be opened";
            _journal.Append("stop", slot.Name, $"stop_command {stream} {file} {what}: {e.Message}; this output of the stop command is discarded", EventSeverity.Warning);
            return SpawnOutput.Null;
        }
    }

    /// <summary>Mode of log files the daemon creates for a service: 0640.</summary>
    private const uint LogFileMode = 0x1A0;
}
