using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Restart;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Logs;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

/// <summary>
/// Every numeric key at the edges (0, negative, 2^62, 2^63−1, 2^63, 2^64+1): either a clear problem at that key
/// when the file loads, or a value the daemon can use as it is (every size fits a signed 64-bit number, every
/// duration a <see cref="TimeSpan"/>, every count its int). "Can use" is checked by converting each value the way
/// the daemon consumes it: nothing --check accepts may throw later.
/// </summary>
public class NumericKeyTests
{
    private static readonly string[] Values = ["0", "-1", "4611686018427387904", "9223372036854775807", "9223372036854775808", "18446744073709551617"];

    private const string P = "process:\n  working_directory: /srv/x\n  start_command: [\"/bin/true\"]\n";
    private const string Io = P + "resources:\n  io_bandwidth:\n    - device: \"8:0\"\n";
    private const string M = "global:\n  config_directory: /etc/pm/config.d\n";

    /// <summary>Key path, YAML with {0} for the value, and the outcome per value in <see cref="Values"/>:
    /// 'o' accepted (and usable), 'x' a problem at the key.</summary>
    private static readonly (string Key, string Yaml, string Outcome)[] Keys =
    [
        ("process.stop_grace_period_ms", P + "  stop_grace_period_ms: {0}\n", "oxxxxx"),
        ("process.max_time_per_run", P + "  schedule: \"* * * * *\"\n  max_time_per_run: {0}ms\n", "oxxxxx"),
        ("restart_policy.restart_backoff_ms", P + "restart_policy:\n  policy: always\n  restart_backoff_ms: {0}\n", "oxxxxx"),
        ("restart_policy.tolerance.max_restarts", P + "restart_policy:\n  policy: always\n  tolerance:\n    max_restarts: {0}\n", "oxxxxx"),
        ("restart_policy.tolerance.duration", P + "restart_policy:\n  policy: always\n  tolerance:\n    duration: {0}\n", "oxxxxx"),
        ("logs.rotation_size", P + "logs:\n  rotation_size: {0}\n", "oxooxx"),
        ("logs.rotation_backups", P + "logs:\n  rotation_backups: {0}\n", "oxxxxx"),
        ("logs.rotation_max_age_ms", P + "logs:\n  rotation_mode: time\n  rotation_max_age_ms: {0}\n", "oxxxxx"),
        ("resources.max_cpu", P + "resources:\n  max_cpu: \"{0}\"\n", "xxxxxx"),
        ("resources.max_memory", P + "resources:\n  max_memory: {0}\n", "oxooxx"),
        ("resources.max_swap", P + "resources:\n  max_swap: {0}\n", "oxooxx"),
        ("resources.io_weight", P + "resources:\n  io_weight: {0}\n", "xxxxxx"),
        ("resources.io_bandwidth[0].max_read_bytes_per_second", Io + "      max_read_bytes_per_second: {0}\n", "xxooxx"),
        ("resources.io_bandwidth[0].max_write_bytes_per_second", Io + "      max_write_bytes_per_second: {0}\n", "xxooxx"),
        ("resources.io_bandwidth[0].max_read_iops", Io + "      max_read_iops: {0}\n", "xxooxx"),
        ("resources.io_bandwidth[0].max_write_iops", Io + "      max_write_iops: {0}\n", "xxooxx"),
        ("resources.io_bandwidth[0].device", P + "resources:\n  io_bandwidth:\n    - device: \"{0}:0\"\n      max_read_iops: 100\n", "oxxxxx"),
        ("provisioning[0].mode", P + "provisioning:\n  - path: .\n    mode: {0}\n", "oxxxxx"),
        ("cgroup.memory_max", M + "cgroup:\n  memory_max: {0}\n", "xxooxx"),
        ("cgroup.memory_swap_max", M + "cgroup:\n  memory_swap_max: {0}\n", "oxooxx"),
        ("cgroup.cpu_max", M + "cgroup:\n  cpu_max: \"{0}\"\n", "xxxxxx"),
        ("unix_socket.mode", M + "unix_socket:\n  mode: {0}\n", "oxxxxx"),
        ("web_console.port", M + "web_console:\n  port: {0}\n", "oxxxxx"),
    ];

    public static TheoryData<string, string, string, char> Cases()
    {
        var data = new TheoryData<string, string, string, char>();
        foreach ((string key, string yaml, string outcome) in Keys)
        {
            Assert.Equal(Values.Length, outcome.Length);
            for (int i = 0; i < Values.Length; i++)
                data.Add(key, yaml, Values[i], outcome[i]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NumericKey_EdgeValue_IsAProblemAtTheKeyOrUsable(string key, string yaml, string value, char outcome)
    {
        string text = yaml.Replace("{0}", value, StringComparison.Ordinal);
        bool master = yaml.StartsWith(M, StringComparison.Ordinal);
        IReadOnlyList<ConfigError> errors = master
            ? Check(MasterConfigParser.Parse(MasterFile, text), Usable)
            : Check(ServiceDefinitionParser.Parse(ServiceFile, text, Context), Usable);

        if (outcome == 'o')
        {
            Assert.True(errors.Count == 0, $"{key}: {value} should be accepted, got:\n{string.Join('\n', errors)}");
            return;
        }

        Assert.True(errors.Count > 0, $"{key}: {value} should be refused, but it was accepted");
        Assert.All(errors, e =>
        {
            Assert.True(e.KeyPath == key || e.KeyPath.StartsWith(key + ".", StringComparison.Ordinal) || e.KeyPath.Length == 0 && e.Line > 1,
                $"{key}: {value}: the problem is not at the key: {e}");
            Assert.True(e.Line >= 1, e.ToString());
            Assert.True(e.Problem.Length > 0 && e.Fix.Length > 0, $"{key}: {value}: a problem needs its fix: {e}");
            Assert.DoesNotContain("exception", e.Problem, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Theory]
    [InlineData("process.stop_grace_period_ms", "315360000000", true)]
    [InlineData("process.stop_grace_period_ms", "315360000001", false)]
    [InlineData("restart_policy.restart_backoff_ms", "315360000001", false)]
    [InlineData("logs.rotation_max_age_ms", "315360000001", false)]
    [InlineData("restart_policy.tolerance.duration", "315360000001", false)]
    [InlineData("restart_policy.tolerance.duration", "87601h", false)]
    [InlineData("process.max_time_per_run", "87601h", false)]
    public void Duration_AtTheLimit_AcceptedAndOneMoreRefused(string key, string value, bool accepted)
    {
        (string _, string yaml, string _) = Keys.Single(k => k.Key == key);
        string text = yaml.Replace("{0}ms", value, StringComparison.Ordinal).Replace("{0}", value, StringComparison.Ordinal);
        IReadOnlyList<ConfigError> errors = Check(ServiceDefinitionParser.Parse(ServiceFile, text, Context), Usable);
        Assert.True(accepted == (errors.Count == 0), string.Join('\n', errors));
        if (!accepted) Assert.Contains("at most 315360000000 ms", errors[0].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxMemory_TwoToTheSixtyFour_IsRefusedWithTheKernelLimit()
    {
        ConfigError e = SingleError(ServiceDefinitionParser.Parse(ServiceFile, P + "resources:\n  max_memory: 10000000000000000000\n", Context));
        Assert.Equal("resources.max_memory", e.KeyPath);
        Assert.Equal(5, e.Line);
        Assert.Contains("size \"10000000000000000000\" is too large (max 9223372036854775807 bytes", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("512")]
    [InlineData("16777215")]
    public void MasterMemoryMax_BelowSixteenMiB_IsRefusedWithTheFix(string value)
    {
        ConfigError e = SingleError(MasterConfigParser.Parse(MasterFile, M + $"cgroup:\n  memory_max: {value}\n"));
        Assert.Equal("cgroup.memory_max", e.KeyPath);
        Assert.Equal(4, e.Line);
        Assert.Contains("would starve the daemon (it runs in the master cgroup) and every service", e.Problem, StringComparison.Ordinal);
        Assert.Equal("use MAX, or at least 16 MiB (a bare number is bytes: write 512MiB, not 512)", e.Fix);
    }

    [Fact]
    public void MasterMemoryMax_SixteenMiB_IsAccepted() =>
        Assert.True(MasterConfigParser.Parse(MasterFile, M + "cgroup:\n  memory_max: 16MiB\n").IsValid);

    private static IReadOnlyList<ConfigError> Check<T>(ConfigResult<T> result, Action<T> usable)
        where T : class
    {
        if (result.IsValid) usable(result.Value);
        return result.Errors;
    }

    /// <summary>Every number of a definition, converted as the daemon converts it; throws if one does not fit.</summary>
    private static void Usable(ServiceDefinition d)
    {
        _ = d.Process.StopGracePeriod.TimeSpan;
        switch (d.RunMode)
        {
            case RunMode.Job job:
                _ = job.MaxTimePerRun?.TimeSpan;
                break;
            case RunMode.LongRunning { Restart: { Mode: RestartMode.Always } a }:
                _ = a.Backoff + a.Window + TimeSpan.FromDays(100 * 365);
                Assert.InRange(a.MaxRestarts, 0, RestartPolicy.MaxRestartsLimit);
                break;
        }

        _ = d.Logs.Rotation switch
        {
            LogRotation.BySize s => LogRotationSettings.BySize(checked((long)s.Size.Bytes), s.Backups, compress: true),
            LogRotation.ByTime t => LogRotationSettings.ByTime(RotationFrequency.Daily, t.MaxAge.TimeSpan, compress: true),
            _ => null,
        };
        Bytes(d.Resources.Memory);
        Bytes(d.Resources.Swap);
        if (d.Resources.IoWeight is { } w) Assert.InRange(w, 1, 10_000);
        foreach (IoBandwidthRule r in d.Resources.IoBandwidth)
        {
            _ = checked((int)r.Major) + checked((int)r.Minor);
            _ = checked((long?)r.ReadBytesPerSecond?.Bytes) + checked((long?)r.WriteBytesPerSecond?.Bytes);
            _ = checked((long?)r.ReadIops) + checked((long?)r.WriteIops);
        }
        foreach (ProvisioningEntry p in d.Provisioning) Assert.InRange(p.Mode?.Value ?? 0, 0, OctalMode.MaxValue);
    }

    private static void Usable(MasterConfig m)
    {
        Bytes(m.Cgroup.MemoryMax);
        Bytes(m.Cgroup.MemorySwapMax);
        Assert.InRange(m.UnixSocket.Mode.Value, 0, OctalMode.MaxValue);
        Assert.InRange(m.WebConsole.Port, 0, 65_535);
    }

    private static void Bytes(MemoryLimit limit) => _ = limit.IsMax ? 0 : checked((long)limit.Size.Bytes);
}
