using System.Diagnostics;

namespace ProcessMaster.Linux.Spawn;

/// <summary>Outcome of <see cref="Spawner.Spawn"/>: the program is running (exec succeeded), or why it is not.</summary>
public abstract record SpawnResult
{
    private SpawnResult()
    {
    }

    /// <summary>exec succeeded. The pid is the shim's pid, unchanged by exec.</summary>
    /// <param name="Pid">The child's pid.</param>
    /// <param name="Process">The .NET handle: <see cref="Process.WaitForExitAsync(CancellationToken)"/> and <see cref="Process.ExitCode"/> give the exit status; .NET reaps the child. Do not waitid on it.</param>
    public sealed record Started(int Pid, Process Process) : SpawnResult;

    /// <summary>The child never ran the program. It has already exited and been reaped.</summary>
    /// <param name="Step">What failed (<c>execve</c>, <c>chdir</c>, <c>open</c>, <c>setuid</c>, <c>cgroup.procs</c>, <c>start shim</c>, ...).</param>
    /// <param name="Errno">The errno, or <see cref="Linux.Errno.None"/> when the failure was not a system call.</param>
    /// <param name="Path">The path involved (program, directory, output file, cgroup), when there is one.</param>
    /// <param name="Message">Operator text, e.g. <c>service "web": spawn failed: /opt/web/server: execve failed: Permission denied (EACCES)</c>.</param>
    public sealed record Failed(string Step, Errno Errno, string? Path, string Message) : SpawnResult;
}
