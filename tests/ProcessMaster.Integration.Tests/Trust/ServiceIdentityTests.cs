using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Trust;

/// <summary>
/// uid 0 is never reached by accident (audit N-14): <c>user: root</c> / <c>"0"</c> / <c>group: root</c> are refused
/// at load unless <c>process.allow_root: true</c>; every start event names the uid and gid the service got.
/// </summary>
public sealed class ServiceIdentityTests : IAsyncLifetime
{
    private readonly DaemonInstance _daemon = DaemonInstance.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task RootWithoutOptIn_RefusedAtLoad_OptInAndOthersStart_EachStartNamesUidAndGid()
    {
        string work = _daemon.WorkDir("ids");
        const string Sleep = "start_command: [\"/bin/sh\", \"-c\", \"exec sleep 100000\"]";
        _daemon.WriteService("byname", $"process:\n  working_directory: {work}\n  {Sleep}\n  user: root\n");
        _daemon.WriteService("bynumber", $"process:\n  working_directory: {work}\n  {Sleep}\n  user: \"0\"\n");
        _daemon.WriteService("bygroup", $"process:\n  working_directory: {work}\n  {Sleep}\n  user: nobody\n  group: root\n");
        _daemon.WriteService("optin", $"process:\n  working_directory: {work}\n  {Sleep}\n  user: \"0\"\n  allow_root: true\n");
        _daemon.WriteService("plain", $"process:\n  working_directory: {work}\n  {Sleep}\n  user: nobody\n");
        _daemon.WriteService("daemons", $"process:\n  working_directory: {work}\n  {Sleep}\n");

        await _daemon.StartAsync();

        Assert.Contains("service \"byname\" is not loaded: process.user \"root\" would run the service with uid 0 (root is root), which is refused unless the definition says so; set process.allow_root: true if it must run as root", _daemon.Log, StringComparison.Ordinal);
        Assert.Contains("service \"bynumber\" is not loaded: process.user \"0\" would run the service with uid 0", _daemon.Log, StringComparison.Ordinal);
        Assert.Contains("service \"bygroup\" is not loaded: process.user \"nobody\" process.group \"root\" would run the service with gid 0 (the root group)", _daemon.Log, StringComparison.Ordinal);
        foreach (string refused in new[] { "byname", "bynumber", "bygroup" })
        {
            CommandResult status = await _daemon.PmctlAsync("status", refused);
            Assert.True(status.ExitCode == 1, $"{refused} must not be loaded: {status}");
        }

        foreach ((string app, string uid) in new[] { ("optin", "0"), ("plain", "65534"), ("daemons", "0") })
        {
            ServiceStatus s = await ServiceStatus.WaitAsync(_daemon, app, x => x.Phase == "RUNNING" && x.Pids.Count > 0, TimeSpan.FromSeconds(30), $"{app} RUNNING");
            Assert.StartsWith(uid + "\t", ProcFacts.StatusField(s.Pids[0], "Uid"), StringComparison.Ordinal);
            string gid = uid; // nobody's primary group is 65534 (nogroup), root's is 0
            Assert.Contains($"app={app} STARTING -> RUNNING (spawned, main pid {s.Pids[0]} as uid {uid} gid {gid})", _daemon.Log, StringComparison.Ordinal);
        }
    }
}
