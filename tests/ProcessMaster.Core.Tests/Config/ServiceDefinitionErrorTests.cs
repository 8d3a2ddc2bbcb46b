using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

/// <summary>
/// Broken service definitions (reference §7.2, adapted to SPEC §3.8: what the original only found at
/// start or stop now fails at load). Each reports exactly one error, on the right line.
/// </summary>
public class ServiceDefinitionErrorTests
{
    private const string P = "process:\n  working_directory: /opt/x\n";   // lines 1-2
    private const string J = P + "  schedule: \"@daily\"\n";              // lines 1-3

    // name, yaml, line, key path, problem fragment, fix fragment ("" = don't check)
    public static TheoryData<string, string, int, string, string, string> Cases => new()
    {
        { "7.2#29 name with space", "application: \"my app\"\n" + P, 1, "application", "contains invalid character ' '", "A-Z a-z 0-9" },
        { "7.2#29 name too long", "application: " + new string('a', 65) + "\n" + P, 1, "application", "is longer than 64 characters", "" },
        { "7.2#29 hidden name", "application: .hidden\n" + P, 1, "application", "must not start with '.'", "" },
        { "7.2#29 name with slash", "application: x/../y\n" + P, 1, "application", "contains invalid character '/'", "" },
        { "7.2#30 no process", "logs: {}\n", 1, "process", "missing required section process", "process: {}" },
        { "7.2#30 no working dir", "application: a\nprocess:\n  user: bob\n", 2, "process.working_directory", "missing process.working_directory and global.auto_service_directory is not set", "set process.working_directory" },
        { "7.2#32 signal and command", P + "  stop_command: [./stop.sh]\n  stop_signal: SIGINT\n", 4, "process.stop_signal", "choose exactly one of process.stop_command or process.stop_signal", "" },
        { "7.2#33 unknown signal", P + "  stop_signal: SIGFOO\n", 3, "process.stop_signal", "unknown signal \"SIGFOO\"", "TERM" },
        { "7.2#33 numeric signal", P + "  stop_signal: \"9\"\n", 3, "process.stop_signal", "numbers are not accepted", "KILL" },
        { "7.2#34 schedule and restart", J + "restart_policy:\n  policy: always\n", 4, "restart_policy", "`process.schedule` and `restart_policy` are mutually exclusive", "never restarted" },
        { "7.2#35 empty schedule", P + "  schedule: \"\"\n", 3, "process.schedule", "schedule is empty", "" },
        { "bad hour", P + "  schedule: \"0 25 * * *\"\n", 3, "process.schedule", "field 2 (hour) \"25\"", "" },
        { "bad weekday", P + "  schedule: \"0 3 * * 8\"\n", 3, "process.schedule", "field 5 (day-of-week) \"8\"", "" },
        { "four fields", P + "  schedule: \"0 3 * *\"\n", 3, "process.schedule", "has 4 fields", "expected 5 (minute hour day-of-month month day-of-week) or 6" },
        { "never fires", P + "  schedule: \"0 0 31 2 *\"\n", 3, "process.schedule", "never fires", "" },
        { "unknown macro", P + "  schedule: \"@often\"\n", 3, "process.schedule", "unknown schedule macro \"@often\"", "" },
        { "7.2#39 not_after before not_before", J + "  not_before: 2025-01-01\n  not_after: 2024-12-31\n", 5, "process.not_after", "process.not_after (2024-12-31) must be >= process.not_before (2025-01-01)", "" },
        { "7.2#40 bad date", J + "  not_before: \"2025/01/01\"\n", 4, "process.not_before", "invalid date \"2025/01/01\"", "" },
        { "7.2#41 duration without unit", J + "  max_time_per_run: 30\n", 4, "process.max_time_per_run", "invalid duration \"30\"", "" },
        { "7.2#41 day unit", J + "  max_time_per_run: 1d\n", 4, "process.max_time_per_run", "unknown duration unit \"d\"", "" },
        { "7.2#41 compound duration", J + "  max_time_per_run: 1h30m\n", 4, "process.max_time_per_run", "unknown duration unit \"h30m\"", "" },
        { "job key on long-running", P + "  max_time_per_run: 10m\n", 3, "process.max_time_per_run", "only applies to scheduled jobs", "set process.schedule" },
        { "7.2#42 restart policy without policy", P + "restart_policy: {}\n", 3, "restart_policy.policy", "missing required key \"policy\"", "always" },
        { "7.2#42 policy sometimes", P + "restart_policy:\n  policy: sometimes\n", 4, "restart_policy.policy", "invalid restart_policy.policy \"sometimes\"", "always or never" },
        { "7.2#42 never with backoff", P + "restart_policy:\n  policy: never\n  restart_backoff_ms: 5\n", 5, "restart_policy.restart_backoff_ms", "policy=never must not set restart_backoff_ms or tolerance", "" },
        { "7.2#42 max_restarts 501", P + "restart_policy:\n  policy: always\n  tolerance:\n    max_restarts: 501\n", 6, "restart_policy.tolerance.max_restarts", "max_restarts=501 exceeds limit 500", "" },
        { "7.2#43 negative duration", P + "restart_policy:\n  policy: always\n  tolerance:\n    duration: -5\n", 6, "restart_policy.tolerance.duration", "duration must be a positive integer (ms)", "" },
        { "7.2#43 float duration", P + "restart_policy:\n  policy: always\n  tolerance:\n    duration: 1.5\n", 6, "restart_policy.tolerance.duration", "invalid duration \"1.5\"", "" },
        { "7.2#43 list duration", P + "restart_policy:\n  policy: always\n  tolerance:\n    duration: [1]\n", 6, "restart_policy.tolerance.duration", "expected a string, found a list", "" },
        { "7.2#44 time mode with size", P + "logs:\n  rotation_mode: time\n  rotation_size: 10m\n", 5, "logs.rotation_size", "rotation_mode=time cannot set logs.rotation_size/rotation_backups", "" },
        { "7.2#44 size mode with frequency", P + "logs:\n  rotation_frequency: hourly\n", 4, "logs.rotation_frequency", "rotation_mode=size cannot set logs.rotation_frequency/rotation_max_age_ms", "" },
        { "7.2#44 rotation mode Size", P + "logs:\n  rotation_mode: Size\n", 4, "logs.rotation_mode", "invalid logs.rotation_mode \"Size\"", "lower case" },
        { "umask with special bits", P + "  umask: \"1022\"\n", 3, "process.umask", "umask 01022 has bits above 0777", "permission bits only" },
        { "umask not octal", P + "  umask: \"089\"\n", 3, "process.umask", "digit '8' is not octal", "" },
        { "umask boolean", P + "  umask: true\n", 3, "process.umask", "mode must be an octal number, found the boolean true", "" },
        { "no_new_privileges not a bool", P + "  no_new_privileges: maybe\n", 3, "process.no_new_privileges", "expected true or false", "" },
        { "bad frequency", P + "logs:\n  rotation_mode: time\n  rotation_frequency: yearly\n", 5, "logs.rotation_frequency", "invalid logs.rotation_frequency \"yearly\"", "" },
        { "7.2#45 fractional size without unit", P + "logs:\n  rotation_size: 1.5\n", 4, "logs.rotation_size", "invalid size \"1.5\"", "" },
        { "7.2#45 unknown size unit", P + "logs:\n  rotation_size: 10x\n", 4, "logs.rotation_size", "unknown size unit \"x\"", "" },
        { "7.2#47 absolute hint outside", P + "logs:\n  hints:\n    - /etc/shadow\n", 5, "logs.hints[0]", "log hint \"/etc/shadow\" is outside the working directory /opt/x", "inside the working directory" },
        { "relative hint escaping", P + "logs:\n  hints: [ok.log, ../other/x.log]\n", 4, "logs.hints[1]", "is outside the working directory", "" },
        { "7.2#49 memory abc", P + "resources:\n  max_memory: abc\n", 4, "resources.max_memory", "invalid size \"abc\"", "" },
        { "7.2#50 millicores fraction", P + "resources:\n  max_cpu: 1.5m\n", 4, "resources.max_cpu", "invalid cpu value \"1.5m\"", "" },
        { "7.2#50 negative cpu", P + "resources:\n  max_cpu: -1\n", 4, "resources.max_cpu", "must be >= 0", "" },
        { "swap junk", P + "resources:\n  max_swap: lots\n", 4, "resources.max_swap", "invalid size \"lots\"", "" },
        { "7.2#51 io_weight 0", P + "resources:\n  io_weight: 0\n", 4, "resources.io_weight", "io_weight 0 must be in 1..=10000", "" },
        { "7.2#51 io rule without cap", P + "resources:\n  io_bandwidth:\n    - device: \"8:0\"\n", 5, "resources.io_bandwidth[0]", "sets no limit", "max_read_bytes_per_second" },
        { "7.2#51 iops too small", P + "resources:\n  io_bandwidth:\n    - device: \"8:0\"\n      max_read_iops: 4\n", 6, "resources.io_bandwidth[0].max_read_iops", "must be at least 5", "" },
        { "7.2#51 device name", P + "resources:\n  io_bandwidth:\n    - device: sda\n      max_read_iops: 10\n", 5, "resources.io_bandwidth[0].device", "io_bandwidth.device must be MAJ:MIN, found \"sda\"", "lsblk" },
        { "bps too small", P + "resources:\n  io_bandwidth:\n    - device: \"8:0\"\n      max_write_bytes_per_second: 512\n", 6, "resources.io_bandwidth[0].max_write_bytes_per_second", "at least 1024", "" },
        { "7.2#52 env name with =", P + "  environment:\n    - name: A=B\n      value: x\n", 4, "process.environment[0].name", "must not contain '='", "" },
        { "7.2#52 env name empty", P + "  environment:\n    - name: \"\"\n      value: x\n", 4, "process.environment[0].name", "must not be empty", "" },
        { "7.2#52 env without value", P + "  environment:\n    - name: X\n", 4, "process.environment[0].value", "missing required key \"value\"", "name: and value:" },
        { "env extra key", P + "  environment:\n    - name: X\n      value: y\n      secret: true\n", 6, "process.environment[0].secret", "unknown key \"secret\"", "" },
        { "env duplicate", P + "  environment:\n    - {name: X, value: a}\n    - {name: X, value: b}\n", 5, "process.environment[1].name", "\"X\" is defined twice", "" },
        { "7.2#53 odd hex", P + "  environment:\n    - name: X\n      value: \"@hex://abc\"\n", 5, "process.environment[0].value", "odd number of hex digits", "" },
        { "7.2#53 bad base64", P + "  environment:\n    - name: X\n      value: \"@base64://!!\"\n", 5, "process.environment[0].value", "not valid base64", "" },
        { "empty file reference", P + "  environment:\n    - name: X\n      value: \"@file://\"\n", 5, "process.environment[0].value", "@file:// needs a path", "" },
        { "7.2#55 scalar start_command", P + "  start_command: ./run.sh\n", 3, "process.start_command", "expected a list, found \"./run.sh\"", "[\"./run.sh\"" },
        { "7.2#55 empty start_command", P + "  start_command: []\n", 3, "process.start_command", "command must not be empty", "" },
        { "empty stop_command", P + "  stop_command: []\n", 3, "process.stop_command", "command must not be empty", "" },
        { "blank program", P + "  start_command: [\"\", x]\n", 3, "process.start_command", "the program (first item) must not be empty", "" },
        { "null list item", P + "  start_command:\n    - ./run.sh\n    -\n", 5, "process.start_command[1]", "list item is null", "" },
        { "7.2#57 provisioning bad mode", P + "provisioning:\n  - path: .\n    mode: \"0O789\"\n", 5, "provisioning[0].mode", "digit '8' is not octal", "" },
        { "provisioning without path", P + "provisioning:\n  - mode: \"0700\"\n", 4, "provisioning[0].path", "missing required key \"path\"", "" },
        { "group without user", P + "  group: www\n", 3, "process.group", "process.group is set without process.user", "specify both" },
        { "grace period string", P + "  stop_grace_period_ms: 5s\n", 3, "process.stop_grace_period_ms", "expected a whole number, found \"5s\"", "" },
        { "grace period quoted", P + "  stop_grace_period_ms: \"5000\"\n", 3, "process.stop_grace_period_ms", "expected a whole number", "without a unit or quotes" },
        { "enabled yes", P + "global:\n  enabled: yes\n", 4, "global.enabled", "expected true or false, found \"yes\"", "" },
        { "typo in key", "process:\n  working_directory: /opt/x\n  comand: [x]\n", 3, "process.comand", "unknown key \"comand\"", "valid keys here: working_directory, start_command, stop_command" },
        { "typo start_comand", P + "  start_comand: [x]\n", 3, "process.start_comand", "unknown key \"start_comand\"", "did you mean \"start_command\"?" },
        { "unknown top level", P + "restart: {}\n", 3, "restart", "unknown key \"restart\"", "" },
        { "process is a list", "process:\n  - a\n", 2, "process", "expected a mapping, found a list", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_BrokenServiceDefinition_ReportsFileLineKeyAndFix(string name, string yaml, int line, string keyPath, string problem, string fix)
    {
        ConfigResult<ServiceDefinition> r = ServiceDefinitionParser.Parse(ServiceFile, yaml, NoAutoDir);

        ConfigError e = SingleError(r);
        Assert.True(line == e.Line, $"{name}: expected line {line}, got {e}");
        Assert.Equal(ServiceFile, e.File);
        Assert.Equal(keyPath, e.KeyPath);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Contains(fix, e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidNameFromFileName_SaysItWasDerived()
    {
        ConfigError e = SingleError(ServiceDefinitionParser.Parse("/etc/pm/config.d/my app.yaml", "process: {}\n", Context));
        Assert.Contains("derived from the file name my app.yaml", e.Problem, StringComparison.Ordinal);
        Assert.Contains("rename the file", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsAll()
    {
        ConfigResult<ServiceDefinition> r = ServiceDefinitionParser.Parse(ServiceFile, P + "  stop_signal: FOO\n  stop_grace_period_ms: 5s\nresources:\n  max_memory: lots\n  max_cpu: x\nlogs:\n  rotation_size: 10q\n", Context);
        Assert.Equal([3, 4, 6, 7, 9], r.Errors.Select(e => e.Line));
    }
}
