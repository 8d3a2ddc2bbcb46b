using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

/// <summary>Broken master configs (reference §7.1, adapted to SPEC): each reports exactly one error, placed exactly.</summary>
public class MasterConfigErrorTests
{
    private const string G = "global:\n  config_directory: x\n";                 // lines 1-2
    private const string Hash = "$2a$10$abcdefghijklmnopqrstuuQaLxbHNyOkst.5hok/MxsNYsoRyHiAq";

    // name, yaml, line, key path, problem fragment, fix fragment ("" = don't check)
    public static TheoryData<string, string, int, string, string, string> Cases => new()
    {
        { "7.1#1 no global", "cgroup:\n  name: pm\n", 1, "global", "missing required section global", "config_directory and/or auto_service_directory" },
        { "7.1#2 empty global", "cgroup: {}\nglobal: {}\n", 2, "global", "at least one of: config_directory, auto_service_directory", "config_directory: config.d" },
        { "7.1#2 both null", "global:\n  config_directory: null\n  auto_service_directory: ~\n", 1, "global", "at least one of", "" },
        { "7.1#3 unknown key", G + "  foo: 1\n", 3, "global.foo", "unknown key \"foo\"", "valid keys here: config_directory" },
        { "unknown key typo", G + "  auto_service_directroy: x\n", 3, "global.auto_service_directroy", "unknown key \"auto_service_directroy\"", "did you mean \"auto_service_directory\"?" },
        { "unknown top-level", G + "web:\n  enabled: true\n", 3, "web", "unknown key \"web\"", "valid keys here: cgroup, unix_socket, global, web_console, admin_actions" },
        { "7.1#8 mode digit 8", G + "unix_socket:\n  mode: \"680\"\n", 4, "unix_socket.mode", "digit '8' is not octal", "" },
        { "7.1#8 mode too large", G + "unix_socket:\n  mode: \"77777\"\n", 4, "unix_socket.mode", "exceeds the maximum 07777", "" },
        { "7.1#9 mode boolean", G + "unix_socket:\n  mode: true\n", 4, "unix_socket.mode", "mode must be an octal number", "0660" },
        { "mode negative", G + "unix_socket:\n  mode: -1\n", 4, "unix_socket.mode", "must not be negative", "" },
        { "mode list", G + "unix_socket:\n  mode: [6, 6, 0]\n", 4, "unix_socket.mode", "expected a string, found a list", "" },
        { "socket owner blank", G + "unix_socket:\n  owner: \"  \"\n", 4, "unix_socket.owner", "must not be empty", "null to leave it unchanged" },
        { "socket path blank", G + "unix_socket:\n  path: \"\"\n", 4, "unix_socket.path", "must not be empty", "" },
        { "7.1#15 cgroup name empty", G + "cgroup:\n  name: \"\"\n", 4, "cgroup.name", "cgroup.name is empty", "processmaster" },
        { "7.1#15 cgroup name dotdot", G + "cgroup:\n  name: a/../b\n", 4, "cgroup.name", "a \"..\" path segment", "relative path" },
        { "cgroup name empty segment", G + "cgroup:\n  name: a//b\n", 4, "cgroup.name", "an empty path segment", "" },
        { "cgroup root relative", G + "cgroup:\n  root: sys/fs/cgroup\n", 4, "cgroup.root", "not an absolute path", "omit it" },
        { "7.1#16 memory_max lots", G + "cgroup:\n  memory_max: lots\n", 4, "cgroup.memory_max", "invalid size \"lots\"", "64MiB" },
        { "memory_max unknown unit", G + "cgroup:\n  memory_max: 10x\n", 4, "cgroup.memory_max", "unknown size unit \"x\" in \"10x\"", "" },
        { "cpu_max bad", G + "cgroup:\n  cpu_max: 1.5m\n", 4, "cgroup.cpu_max", "invalid cpu value \"1.5m\"", "whole number before 'm'" },
        { "cpu_max bad period", G + "cgroup:\n  cpu_max: \"20000 10\"\n", 4, "cgroup.cpu_max", "period 10 µs is outside", "" },
        { "subtree_control_allow yes", G + "cgroup:\n  subtree_control_allow: yes\n", 4, "cgroup.subtree_control_allow", "expected true or false, found \"yes\"", "yes/no/on/off are not booleans" },
        { "7.1#17 default user empty", "global:\n  config_directory: x\n  default_service_user: \"\"\n", 3, "global.default_service_user", "must not be empty", "use null for the default \"nobody\"" },
        { "default group blank", "global:\n  config_directory: x\n  default_service_group: \" \"\n", 3, "global.default_service_group", "must not be empty", "use null for the default: the user's primary group" },
        { "stop_services_on_shutdown string", G + "  stop_services_on_shutdown: \"true\"\n", 3, "global.stop_services_on_shutdown", "expected true or false", "" },
        { "7.1#19 action whitespace", G + "admin_actions:\n  \" x\":\n    command: [a]\n", 4, "admin_actions. x", "leading/trailing whitespace", "" },
        { "7.1#19 action empty command", G + "admin_actions:\n  x:\n    command: []\n", 5, "admin_actions.x.command", "command must not be empty", "[\"/bin/sh\"" },
        { "action missing command", G + "admin_actions:\n  x:\n    label: X\n", 4, "admin_actions.x.command", "command must not be empty", "" },
        { "7.1#19 action blank label", G + "admin_actions:\n  x:\n    label: \" \"\n    command: [a]\n", 5, "admin_actions.x.label", "label must not be empty if provided", "" },
        { "7.1#19 action duplicate", G + "admin_actions:\n  Foo: {command: [a]}\n  foo: {command: [b]}\n", 5, "admin_actions.foo", "duplicate admin action id (case-insensitive) \"foo\"", "rename one" },
        { "action null", G + "admin_actions:\n  x:\n", 4, "admin_actions.x", "\"x\" has no value", "" },
        { "7.1#20 users empty", G + "web_console:\n  enabled: true\n  bind: 127.0.0.1\n  auth:\n    basic: {}\n", 7, "web_console.auth.basic.users", "users is empty", "pmctl password generate" },
        { "7.1#20 user entry without colon", G + "web_console:\n  auth:\n    basic:\n      users:\n        - admin\n", 7, "web_console.auth.basic.users[0]", "expected 'user:hash'", "" },
        { "user entry plain password", G + "web_console:\n  auth:\n    basic:\n      users: [\"bob:secret\"]\n", 6, "web_console.auth.basic.users[0]", "not a bcrypt hash", "never the password" },
        { "user listed twice", G + "web_console:\n  auth:\n    basic:\n      users:\n        - \"bob:" + Hash + "\"\n        - \"bob:" + Hash + "\"\n", 8, "web_console.auth.basic.users[1]", "listed twice", "" },
        { "7.1#21 tls without cert", G + "web_console:\n  enabled: true\n  bind: 127.0.0.1\n  tls:\n    enabled: true\n    server_key_pem: k.pem\n", 6, "web_console.tls.server_cert_pem", "server_cert_pem is not set", "" },
        { "7.1#21 mtls without ca", G + "web_console:\n  enabled: true\n  bind: 127.0.0.1\n  tls:\n    enabled: true\n    server_cert_pem: c.pem\n    server_key_pem: k.pem\n    mtls: true\n", 6, "web_console.tls.ca_pem", "ca_pem is not set", "" },
        { "mtls without tls", G + "web_console:\n  tls:\n    mtls: true\n", 5, "web_console.tls.mtls", "requires web_console.tls.enabled=true", "" },
        { "7.1#24 bind hostname", G + "web_console:\n  bind: localhost\n", 4, "web_console.bind", "\"localhost\" is not an IP address", "host names like localhost are not accepted" },
        { "bind empty", G + "web_console:\n  bind: \" \"\n", 4, "web_console.bind", "bind address is empty", "" },
        { "bind short ipv4", G + "web_console:\n  bind: \"127.1\"\n", 4, "web_console.bind", "not an IP address", "" },
        { "7.1#25 port out of range", G + "web_console:\n  port: 70000\n", 4, "web_console.port", "port 70000 is out of range", "65535" },
        { "port with unit", G + "web_console:\n  port: 90s\n", 4, "web_console.port", "expected a whole number, found \"90s\"", "" },
        { "7.1#26 old client_host key", G + "web_console:\n  client_host: x\n", 4, "web_console.client_host", "unknown key \"client_host\"", "" },
        { "section is a list", G + "unix_socket:\n  - path: x\n", 4, "unix_socket", "expected a mapping, found a list", "" },
        { "duplicate key", "global:\n  config_directory: a\n  config_directory: b\n", 3, "global.config_directory", "duplicate key \"config_directory\" (first at line 2)", "keep one" },
        { "empty file", "", 1, "", "file is empty", "" },
        { "comments only", "# nothing\n", 1, "", "file is empty", "" },
        { "root is a list", "- a\n- b\n", 1, "", "the top level must be a mapping", "" },
        { "two documents", G + "---\n" + G, 3, "", "2 YAML documents", "" },
        { "syntax error", "global:\n  config_directory: [x\n", 3, "", "invalid YAML", "" },
        { "tab indentation", "global:\n\tconfig_directory: x\n", 2, "", "invalid YAML", "indent with spaces, never tabs" },
        { "unclosed flow list", "global:\n  config_directory: x\ncgroup: [1, 2\nb: 3\n", 3, "", "invalid YAML", "unclosed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_BrokenMasterConfig_ReportsFileLineKeyAndFix(string name, string yaml, int line, string keyPath, string problem, string fix)
    {
        ConfigResult<MasterConfig> r = MasterConfigParser.Parse(MasterFile, yaml);

        ConfigError e = SingleError(r);
        Assert.True(line == e.Line, $"{name}: expected line {line}, got {e}");
        Assert.Equal(MasterFile, e.File);
        Assert.Equal(keyPath, e.KeyPath);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Contains(fix, e.Fix, StringComparison.Ordinal);
        Assert.StartsWith($"{MasterFile}:{line}:{e.Column}: ", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsAllInFileOrder()
    {
        ConfigResult<MasterConfig> r = MasterConfigParser.Parse(MasterFile, "cgroup:\n  nmae: x\n  memory_max: lots\nunix_socket:\n  mode: \"999\"\nglobal:\n  config_directory: x\n  bogus: 1\n");

        Assert.Equal([2, 3, 5, 8], r.Errors.Select(e => e.Line));
        Assert.Null(r.Value);
    }

    [Fact]
    public void Parse_UnknownKey_ColumnPointsAtKey()
    {
        ConfigError e = SingleError(MasterConfigParser.Parse(MasterFile, "global:\n  config_directory: x\n  comand: y\n"));
        Assert.Equal((3, 3), (e.Line, e.Column));
        Assert.Equal("/etc/pm/config.yaml:3:3: global.comand: unknown key \"comand\"; valid keys here: " + string.Join(", ",
            "config_directory", "auto_service_directory", "user", "group", "default_service_user", "default_service_group",
            "allow_provisioning_outside_working_directory", "stop_services_on_shutdown", "state_file", "flag_rules_file", "log_file"), e.ToString());
    }

    [Fact]
    public void Parse_ValueError_ColumnPointsAtValue()
    {
        ConfigError e = SingleError(MasterConfigParser.Parse(MasterFile, G + "cgroup:\n  memory_max:   lots\n"));
        Assert.Equal((4, 17), (e.Line, e.Column));
    }
}
