using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

/// <summary>How a service is asked to stop before <c>cgroup.kill</c>.</summary>
public abstract record StopMethod
{
    private protected StopMethod()
    {
    }

    /// <summary>Send a signal to the main process (<c>process.stop_signal</c>).</summary>
    public sealed record BySignal(Signal Signal) : StopMethod;

    /// <summary>Run a command (<c>process.stop_command</c>) with the service's user, cwd and environment.</summary>
    public sealed record ByCommand(ValueList<string> Command) : StopMethod;
}
