namespace ProcessMaster.Linux.Spawn;

/// <summary>Outcome of <see cref="Spawner.Spawn"/>: the program is running (exec succeeded), or why it is not.</summary>
public abstract record SpawnResult
{
    private SpawnResult()
    {
    }

    /// <summary>exec succeeded.</summary>
    /// <param name="Pid">The child's pid.</param>
    /// <param name="Child">Its handle: <see cref="ChildProcess.Exit"/> completes once the daemon has reaped it.</param>
    public sealed record Started(int Pid, ChildProcess Child) : SpawnResult;

    /// <summary>The child never ran the program. It has already exited and been reaped.</summary>
    /// <param name="Step">The system call that failed (<c>execve</c>, <c>chdir</c>, <c>setresuid</c>, <c>clone3</c>, <c>open</c>, ...).</param>
    /// <param name="Errno">The errno, or <see cref="Linux.Errno.None"/> when the failure was not a system call.</param>
    /// <param name="Path">The path involved (program, directory, output file, cgroup), when there is one.</param>
    /// <param name="Message">Operator text, e.g. <c>service "web": spawn failed: /opt/web/server (cwd /opt/web): execve failed: Permission denied (EACCES)</c>.</param>
    public sealed record Failed(string Step, Errno Errno, string? Path, string Message) : SpawnResult;
}
