using ProcessMaster.Core.Logs;

namespace ProcessMaster.Core.Tests.Logs;

public class SizeRotationTests
{
    [Theory]
    [InlineData(999, 1000, false)]
    [InlineData(1000, 1000, true)]
    [InlineData(5000, 1000, true)]
    [InlineData(5000, 0, false)]
    public void IsThresholdCrossed_AtOrAboveThreshold(long bytes, long threshold, bool expected) =>
        Assert.Equal(expected, SizeRotation.IsThresholdCrossed(bytes, threshold));

    [Theory]
    [InlineData(0, 1000, 65536, 1000)]
    [InlineData(999, 1000, 65536, 1)]
    [InlineData(1000, 1000, 65536, 65536)]
    [InlineData(0, 0, 65536, 65536)]
    [InlineData(0, 10_000_000, 65536, 65536)]
    public void NextTransferLimit_StopsAtThreshold(long bytes, long threshold, int chunk, int expected) =>
        Assert.Equal(expected, SizeRotation.NextTransferLimit(bytes, threshold, chunk));

    [Fact]
    public void Plan_ThreeBackups_DeletesOldestShiftsAndMovesLiveFile()
    {
        BackupShift plan = SizeRotation.Plan("out.log", 3);
        Assert.Equal(["out.log.3", "out.log.3.gz"], plan.Deletes);
        Assert.Equal(
            [("out.log.2", "out.log.3"), ("out.log.2.gz", "out.log.3.gz"),
             ("out.log.1", "out.log.2"), ("out.log.1.gz", "out.log.2.gz"),
             ("out.log", "out.log.1")],
            plan.Renames);
    }

    [Fact]
    public void Plan_OneBackup_OnlyLiveFileMoves()
    {
        BackupShift plan = SizeRotation.Plan("out.log", 1);
        Assert.Equal(["out.log.1", "out.log.1.gz"], plan.Deletes);
        Assert.Equal([("out.log", "out.log.1")], plan.Renames);
    }

    [Fact]
    public void Plan_ZeroBackups_DeletesLiveFile()
    {
        BackupShift plan = SizeRotation.Plan("out.log", 0);
        Assert.Equal(["out.log"], plan.Deletes);
        Assert.Empty(plan.Renames);
    }

    [Fact]
    public void SurplusBackups_AboveCount_IgnoresLookalikes()
    {
        string[] names = ["out.log", "out.log.1", "out.log.3.gz", "out.log.4", "out.log.12.gz", "out.log.err", "out.log.04", "out.log.4.tmp"];
        Assert.Equal(["out.log.4", "out.log.12.gz"], SizeRotation.SurplusBackups(names, "out.log", 3));
    }

    [Theory]
    [InlineData("out.log.7", true, 7, false)]
    [InlineData("out.log.7.gz", true, 7, true)]
    [InlineData("out.log.0", false, 0, false)]
    [InlineData("out.log.", false, 0, false)]
    [InlineData("out.log.x1", false, 0, false)]
    [InlineData("out.logs.1", false, 0, false)]
    public void TryParseBackupIndex_Cases(string name, bool ok, int index, bool compressed)
    {
        Assert.Equal(ok, SizeRotation.TryParseBackupIndex(name, "out.log", out int i, out bool gz));
        Assert.Equal(index, i);
        Assert.Equal(compressed, gz);
    }
}
