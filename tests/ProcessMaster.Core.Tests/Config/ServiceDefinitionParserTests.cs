using ProcessMaster.Core.Logs;
using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Restart;
using ProcessMaster.Core.Config.Values;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

public class ServiceDefinitionParserTests
{
    [Fact]
    public void Parse_EmptyProcess_AppliesEveryDefault()
    {
        ServiceDefinition s = Service("process: {}\n");

        Assert.Equal("web", s.Name.Value);
        Assert.Equal(ServiceFile, s.SourceFile);
        Assert.Equal("/srv/auto/web", s.Process.WorkingDirectory);
        Assert.Equal(["./run.sh"], s.Process.StartCommand);
        Assert.Equal(new StopMethod.BySignal(Signal.Term), s.Process.Stop);
        Assert.Equal(5000, s.Process.StopGracePeriod.Milliseconds);
        Assert.Null(s.Process.User);
        Assert.Null(s.Process.Group);
        Assert.Empty(s.Process.Environment);
        Assert.False(s.Process.InheritEnvironment);
        Assert.Equal(new OctalMode(0x12), s.Process.Umask);
        Assert.False(s.Process.NoNewPrivileges);
        Assert.Equal(new RunMode.LongRunning(RestartPolicy.Default), s.RunMode);
        Assert.Equal("/srv/auto/web/logs/stdout.log", s.Logs.Stdout);
        Assert.Equal("/srv/auto/web/logs/stderr.log", s.Logs.Stderr);
        Assert.Equal(new LogRotation.BySize(new ByteSize(10_000_000), 10), s.Logs.Rotation);
        Assert.True(s.Logs.Compression);
        Assert.Equal("/srv/auto/web/logs/stop_command_stdout.log", s.Logs.StopCommandStdout);
        Assert.Equal("/srv/auto/web/logs/stop_command_stderr.log", s.Logs.StopCommandStderr);
        Assert.Empty(s.Logs.Hints);
        Assert.Equal(ResourceLimits.Unlimited, s.Resources);
        Assert.True(s.Enabled);
        Assert.Empty(s.Provisioning);
    }

    [Fact]
    public void Parse_FullLongRunningService_ReadsEveryKey()
    {
        ServiceDefinition s = Service("""
            application: "  api  "
            process:
              working_directory: /opt/api
              start_command: ["./bin/api", "--port", 8080]
              stop_command: ["./stop.sh"]
              stop_grace_period_ms: 2500
              user: " www "
              group: www
              inherit_environment: true
              environment:
                - name: PORT
                  value: 8080
                - name: SECRET
                  value: "@file:///etc/api/secret"
                - name: GREETING
                  value: "@hex://0x48 65 6c"
                - name: B64
                  value: "@b64://SGk="
                - name: PLAIN
                  value: "  plain  "
            logs:
              stdout: /var/log/api.out
              stderr: logs/err.log
              rotation_mode: time
              rotation_frequency: hourly
              rotation_max_age_ms: 86400000
              compression_enabled: false
              stop_command_stdout: null
              stop_command_stderr: logs/stop.err
              hints: [./logs/app.log, /opt/api/logs/x/../audit.log]
            resources:
              max_cpu: 250m
              max_memory: 64MiB
              io_weight: 200
              io_bandwidth:
                - device: "8:0"
                  max_read_bytes_per_second: 10m
                  max_write_iops: 100
            restart_policy:
              policy: ALWAYS
              restart_backoff_ms: 200
              tolerance:
                max_restarts: 5
                duration: 1m
            global:
              enabled: false
            provisioning:
              - path: .
                ownership: { owner: www, group: www, recursive: true }
                mode: "0770"
              - path: ./bin/api
                mode: 755
                add_net_bind_capability: true
            """);

        Assert.Equal("api", s.Name.Value);
        Assert.Equal("/opt/api", s.Process.WorkingDirectory);
        Assert.Equal(["./bin/api", "--port", "8080"], s.Process.StartCommand);
        Assert.Equal(new StopMethod.ByCommand(ValueList.Of("./stop.sh")), s.Process.Stop);
        Assert.Equal(2500, s.Process.StopGracePeriod.Milliseconds);
        Assert.Equal(("www", "www"), (s.Process.User, s.Process.Group));
        Assert.True(s.Process.InheritEnvironment);
        Assert.Equal(["PORT", "SECRET", "GREETING", "B64", "PLAIN"], s.Process.Environment.Select(e => e.Name));
        Assert.Equal("8080", s.Process.Environment[0].Value.ToString());
        Assert.Equal(new EnvironmentValue.FileReference("/etc/api/secret"), s.Process.Environment[1].Value);
        Assert.Equal("Hel", s.Process.Environment[2].Value.ToString());
        Assert.Equal("Hi", s.Process.Environment[3].Value.ToString());
        Assert.Equal("  plain  ", s.Process.Environment[4].Value.ToString());
        Assert.Equal("/var/log/api.out", s.Logs.Stdout);
        Assert.Equal("/opt/api/logs/err.log", s.Logs.Stderr);
        Assert.Equal(new LogRotation.ByTime(RotationFrequency.Hourly, Duration.FromMilliseconds(86_400_000)), s.Logs.Rotation);
        Assert.False(s.Logs.Compression);
        Assert.Null(s.Logs.StopCommandStdout);
        Assert.Equal("/opt/api/logs/stop.err", s.Logs.StopCommandStderr);
        Assert.Equal(["/opt/api/logs/app.log", "/opt/api/logs/audit.log"], s.Logs.Hints);
        Assert.Equal("25000 100000", s.Resources.Cpu.CgroupValue);
        Assert.Equal(67_108_864UL, s.Resources.Memory.Size.Bytes);
        Assert.Equal("0", s.Resources.Swap.CgroupValue);
        Assert.Equal(200, s.Resources.IoWeight);
        Assert.Equal("8:0 rbps=10000000 wiops=100", Assert.Single(s.Resources.IoBandwidth).IoMaxLine);
        Assert.Equal(new RunMode.LongRunning(new RestartPolicy(RestartMode.Always, TimeSpan.FromMilliseconds(200), 5, TimeSpan.FromMilliseconds(60_000))), s.RunMode);
        Assert.False(s.Enabled);
        Assert.Equal(new ProvisioningEntry("/opt/api", "www", "www", true, new OctalMode(0x1F8), false), s.Provisioning[0]);
        Assert.Equal(new ProvisioningEntry("/opt/api/bin/api", null, null, false, new OctalMode(0x1ED), true), s.Provisioning[1]);
    }

    [Fact]
    public void Parse_ScheduledJob_IsAJobWithBounds()
    {
        ServiceDefinition s = Service("""
            process:
              working_directory: /opt/job
              schedule: "0 3 * * 0"
              not_before: "2025-01-01 08:30:00"
              not_after: "2025-12-31"
              max_time_per_run: 1.5m
            """);

        var job = Assert.IsType<RunMode.Job>(s.RunMode);
        Assert.Equal("0 3 * * 0", job.Schedule.Text);
        Assert.False(job.Schedule.HasSeconds);
        Assert.Equal(new DateTime(2025, 1, 1, 8, 30, 0), job.NotBefore!.Value.Local);
        Assert.Equal(new DateTime(2025, 12, 31, 23, 59, 59, 999), job.NotAfter!.Value.Local);
        Assert.Equal(90_000, job.MaxTimePerRun!.Value.Milliseconds);
    }

    [Theory]
    [InlineData("never")]
    [InlineData("NEVER")]
    [InlineData("\"\"")]
    public void Parse_MaxTimePerRunNever_IsUnlimited(string value)
    {
        ServiceDefinition s = Service($"process:\n  schedule: \"@daily\"\n  max_time_per_run: {value}\n");
        Assert.Null(Assert.IsType<RunMode.Job>(s.RunMode).MaxTimePerRun);
    }

    [Theory]
    [InlineData("/etc/pm/config.d/web.yaml", "web")]
    [InlineData("/etc/pm/config.d/web.prod.yml", "web.prod")]
    [InlineData("/srv/auto/x/service.yml", "x")]
    [InlineData("/etc/pm/conf.d/service.yaml", "conf.d")]
    [InlineData("/etc/pm/conf.d/Service.YAML", "conf.d")]
    public void Parse_NoApplication_DerivesNameFromFile(string file, string expected)
    {
        Assert.Equal(expected, Service("process: {}\n", file: file).Name.Value);
    }

    [Fact]
    public void Parse_EmptyApplication_DerivesNameFromFile()
    {
        Assert.Equal("web", Service("application: \"\"\nprocess: {}\n").Name.Value);
    }

    [Theory]
    [InlineData("sigterm", 15)]
    [InlineData("\" TERM \"", 15)]
    [InlineData("SIGINT", 2)]
    [InlineData("usr1", 10)]
    public void Parse_StopSignalNames_AreAccepted(string value, int number)
    {
        var stop = Assert.IsType<StopMethod.BySignal>(Service($"process:\n  stop_signal: {value}\n").Process.Stop);
        Assert.Equal(number, stop.Signal.Number);
    }

    [Fact]
    public void Parse_ResourcesWithOnlyCpu_SwapIsZeroMemoryIsMax()
    {
        ResourceLimits r = Service("process: {}\nresources: {max_cpu: 100m}\n").Resources;
        Assert.Equal("10000 100000", r.Cpu.CgroupValue);
        Assert.True(r.Memory.IsMax);
        Assert.Equal("0", r.Swap.CgroupValue);
    }

    [Theory]
    [InlineData("duration: 60000", 60_000)]
    [InlineData("duration: \"1m\"", 60_000)]
    [InlineData("duration: 1.5m", 90_000)]
    [InlineData("max_restarts: 500", 180_000)]
    public void Parse_ToleranceDuration_IntegerIsMilliseconds(string line, long expected)
    {
        var mode = (RunMode.LongRunning)Service($"process: {{}}\nrestart_policy:\n  policy: always\n  tolerance:\n    {line}\n").RunMode;
        Assert.Equal(expected, (long)mode.Restart.Window.TotalMilliseconds);
    }

    [Fact]
    public void Parse_PolicyNever_HasNoBackoff()
    {
        var mode = (RunMode.LongRunning)Service("process: {}\nrestart_policy: {policy: never}\n").RunMode;
        Assert.Equal(RestartMode.Never, mode.Restart.Mode);
    }

    [Fact]
    public void Parse_RelativeWorkingDirectory_IsRelativeToTheFile()
    {
        Assert.Equal("/etc/pm/config.d/apps/web", Service("process: {working_directory: apps/web}\n").Process.WorkingDirectory);
    }

    [Fact]
    public void Parse_ProvisioningBlankMode_MeansNoChmod()
    {
        Assert.Null(Service("process: {}\nprovisioning: [{path: ., mode: \"\"}]\n").Provisioning[0].Mode);
    }

    [Fact]
    public void Parse_SameTextTwice_DefinitionsAreEqual()
    {
        const string yaml = "process:\n  environment: [{name: A, value: \"@b64://SGk=\"}]\n  schedule: \"*/5 * * * *\"\nlogs: {hints: [a.log]}\n";
        Assert.Equal(Service(yaml), Service(yaml));
        Assert.NotEqual(Service(yaml), Service(yaml.Replace("SGk=", "SGE=", StringComparison.Ordinal)));
        Assert.NotEqual(Service(yaml), Service(yaml.Replace("*/5", "*/6", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("027", 0x17)]
    [InlineData("\"0077\"", 0x3F)]
    [InlineData("0o002", 0x2)]
    [InlineData("0", 0)]
    public void Parse_Umask_IsOctal(string text, int expected)
    {
        ServiceDefinition s = Service($"process:\n  umask: {text}\n  no_new_privileges: true\n");
        Assert.Equal(new OctalMode(expected), s.Process.Umask);
        Assert.True(s.Process.NoNewPrivileges);
    }
}
