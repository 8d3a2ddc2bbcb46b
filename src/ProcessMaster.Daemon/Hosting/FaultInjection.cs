namespace ProcessMaster.Daemon.Hosting;

/// <summary>
/// Test-only faults for the VM lane (tests/vm), which shows that its checks can fail. A fault is honoured only when the
/// KERNEL command line carries <see cref="KernelSwitch"/>: the lane boots its throw-away guest with it, no production
/// host does, so a stray <c>--fault-inject-skip-limit</c> on a real host is refused and the daemon does not start.
/// </summary>
internal sealed record FaultInjection(IReadOnlySet<string> SkippedLimitFiles)
{
    /// <summary>The kernel command line word that allows fault injection.</summary>
    public const string KernelSwitch = "processmaster.fault_injection=1";

    /// <summary>Where the kernel command line is read from.</summary>
    public const string KernelCommandLinePath = "/proc/cmdline";

    /// <summary>Limit files a fault may skip.</summary>
    public static readonly IReadOnlyList<string> SkippableLimitFiles = ["memory.max", "memory.swap.max", "cpu.max", "pids.max"];

    /// <summary>No fault: production.</summary>
    public static readonly FaultInjection None = new(new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Validates the requested faults against the kernel command line; on error nothing is injected.</summary>
    public static bool TryCreate(IReadOnlyList<string> skipLimitFiles, string kernelCommandLine, out FaultInjection faults, out string error)
    {
        faults = None;
        error = "";
        if (skipLimitFiles.Count == 0) return true;
        foreach (string file in skipLimitFiles)
        {
            if (!SkippableLimitFiles.Contains(file, StringComparer.Ordinal))
            {
                error = $"--fault-inject-skip-limit: unknown limit file \"{file}\"; use one of {string.Join(", ", SkippableLimitFiles)}";
                return false;
            }
        }
        if (!kernelCommandLine.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Contains(KernelSwitch, StringComparer.Ordinal))
        {
            error = $"--fault-inject-skip-limit is a test-only switch for the VM lane and needs \"{KernelSwitch}\" on the kernel command line " +
                    $"({KernelCommandLinePath}); it is not there, so the daemon does not start. Remove the switch.";
            return false;
        }
        faults = new FaultInjection(new HashSet<string>(skipLimitFiles, StringComparer.Ordinal));
        return true;
    }

    /// <summary>The event text announcing an active fault (empty when none).</summary>
    public string Describe() => SkippedLimitFiles.Count == 0 ? "" :
        $"FAULT INJECTION ({KernelSwitch}): never writing {string.Join(", ", SkippedLimitFiles.Order(StringComparer.Ordinal))} for any service; limits are NOT enforced";
}
