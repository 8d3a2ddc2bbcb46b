using ProcessMaster.Daemon.Hosting;

namespace ProcessMaster.Daemon.Tests.Hosting;

/// <summary>The VM lane's test-only switch: honoured only with processmaster.fault_injection=1 on the kernel command line.</summary>
public class FaultInjectionTests
{
    private const string ProductionKernel = "BOOT_IMAGE=/vmlinuz-6.1.0-57-amd64 root=/dev/sda1 ro quiet\n";
    private const string LaneKernel = "console=ttyS0 psi=1 rdinit=/init processmaster.lane_batch=broken processmaster.fault_injection=1\n";

    [Fact]
    public void TryCreate_NoSwitch_NoFault()
    {
        Assert.True(FaultInjection.TryCreate([], ProductionKernel, out FaultInjection faults, out _));
        Assert.Empty(faults.SkippedLimitFiles);
        Assert.Equal("", faults.Describe());
    }

    [Fact]
    public void TryCreate_ProductionKernel_RefusedWithTheReason()
    {
        Assert.False(FaultInjection.TryCreate(["memory.max"], ProductionKernel, out FaultInjection faults, out string error));
        Assert.Empty(faults.SkippedLimitFiles);
        Assert.Contains("needs \"processmaster.fault_injection=1\" on the kernel command line", error, StringComparison.Ordinal);
        Assert.Contains("the daemon does not start", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("processmaster.fault_injection=0")]
    [InlineData("xprocessmaster.fault_injection=1")]
    [InlineData("processmaster.fault_injection=10")]
    public void TryCreate_SimilarWord_Refused(string word) =>
        Assert.False(FaultInjection.TryCreate(["memory.max"], $"quiet {word}", out _, out _));

    [Fact]
    public void TryCreate_UnknownFile_RefusedEvenOnTheLaneKernel()
    {
        Assert.False(FaultInjection.TryCreate(["cgroup.procs"], LaneKernel, out FaultInjection faults, out string error));
        Assert.Empty(faults.SkippedLimitFiles);
        Assert.Contains("unknown limit file \"cgroup.procs\"; use one of memory.max", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_LaneKernel_SkipsTheFile()
    {
        Assert.True(FaultInjection.TryCreate(["memory.max"], LaneKernel, out FaultInjection faults, out _));
        Assert.Equal(["memory.max"], faults.SkippedLimitFiles);
        Assert.StartsWith("FAULT INJECTION (processmaster.fault_injection=1): never writing memory.max", faults.Describe(), StringComparison.Ordinal);
    }
}
