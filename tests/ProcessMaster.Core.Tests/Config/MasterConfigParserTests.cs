using System.Net;
using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Values;
using static ProcessMaster.Core.Tests.Config.ParseHelpers;

namespace ProcessMaster.Core.Tests.Config;

public class MasterConfigParserTests
{
    [Fact]
    public void Parse_MinimalGlobal_AppliesEveryDefault()
    {
        MasterConfig c = Master("global:\n  config_directory: config.d\n");

        Assert.Equal(CgroupSettings.Default, c.Cgroup);
        Assert.Null(c.Cgroup.Root);
        Assert.Equal("/run/processmaster/processmaster.sock", c.UnixSocket.Path);
        Assert.Null(c.UnixSocket.Owner);
        Assert.Null(c.UnixSocket.Group);
        Assert.Equal(0x180, c.UnixSocket.Mode.Value);
        Assert.Equal("/etc/pm/config.d", c.Global.ConfigDirectory);
        Assert.Null(c.Global.AutoServiceDirectory);
        Assert.Null(c.Global.User);
        Assert.Equal("nobody", c.Global.DefaultServiceUser);
        Assert.Null(c.Global.DefaultServiceGroup);
        Assert.False(c.Global.AllowProvisioningOutsideWorkingDirectory);
        Assert.False(c.Global.StopServicesOnShutdown);
        Assert.Equal("/etc/pm/config.d/appstate.json", c.Global.StateFile);
        Assert.Equal("/etc/pm/config.d/flag_rules.json", c.Global.FlagRulesFile);
        Assert.Equal("/etc/pm/logs/processmaster.log", c.Global.LogFile);
        Assert.False(c.WebConsole.Enabled);
        Assert.Equal(IPAddress.Any, c.WebConsole.Bind);
        Assert.Equal(9001, c.WebConsole.Port);
        Assert.True(c.WebConsole.UsesDefaultCredentials);
        Assert.Empty(c.AdminActions);
    }

    [Fact]
    public void Parse_FullConfig_ReadsEveryKey()
    {
        MasterConfig c = Master("""
            cgroup:
              root: /sys/fs/cgroup/unified
              name: /system.slice/pm/
              memory_max: 1GiB
              memory_swap_max: 0
              cpu_max: "20000 100000"
              subtree_control_allow: false
            unix_socket:
              path: run/pm.sock
              owner: null
              group: wheel
              mode: 660
            global:
              config_directory: ./services
              auto_service_directory: /srv/auto
              user: pm
              group: pm
              default_service_user: " bob "
              default_service_group: staff
              stop_services_on_shutdown: true
              state_file: state/app.json
              flag_rules_file: /etc/pm/rules.json
              log_file: /var/log/pm.log
            web_console:
              enabled: true
              bind: "[::1]"
              port: 9443
              allow_plaintext_remote: true
              tls:
                enabled: true
                ca_pem: tls/ca.pem
                server_cert_pem: tls/server.pem
                server_key_pem: tls/server.key
                client_host: pm.example.org
                mtls: true
              auth:
                basic:
                  users:
                    - "alice:$2y$10$abcdefghijklmnopqrstuuQaLxbHNyOkst.5hok/MxsNYsoRyHiAq"
            admin_actions:
              update-pm:
                label: Update ProcessMaster
                command: ["/bin/sh", "-lc", "systemctl restart processmaster"]
              b: { command: [true] }
            """);

        Assert.Equal("/sys/fs/cgroup/unified", c.Cgroup.Root);
        Assert.Equal("system.slice/pm", c.Cgroup.Name);
        Assert.Equal(1UL << 30, c.Cgroup.MemoryMax.Size.Bytes);
        Assert.Equal("0", c.Cgroup.MemorySwapMax.CgroupValue);
        Assert.Equal("20000 100000", c.Cgroup.CpuMax.CgroupValue);
        Assert.False(c.Cgroup.SubtreeControlAllow);
        Assert.Equal(new UnixSocketSettings("/etc/pm/run/pm.sock", null, "wheel", new OctalMode(0x1B0)), c.UnixSocket);
        Assert.Equal("/etc/pm/services", c.Global.ConfigDirectory);
        Assert.Equal("/srv/auto", c.Global.AutoServiceDirectory);
        Assert.Equal(("pm", "pm"), (c.Global.User, c.Global.Group));
        Assert.Equal(("bob", "staff"), (c.Global.DefaultServiceUser, c.Global.DefaultServiceGroup));
        Assert.True(c.Global.StopServicesOnShutdown);
        Assert.Equal("/etc/pm/state/app.json", c.Global.StateFile);
        Assert.Equal("/etc/pm/rules.json", c.Global.FlagRulesFile);
        Assert.Equal("/var/log/pm.log", c.Global.LogFile);
        Assert.Equal(IPAddress.IPv6Loopback, c.WebConsole.Bind);
        Assert.Equal(9443, c.WebConsole.Port);
        Assert.True(c.WebConsole.AllowPlaintextRemote);
        Assert.Equal(new TlsSettings(true, "/etc/pm/tls/ca.pem", "/etc/pm/tls/server.pem", "/etc/pm/tls/server.key", "pm.example.org", true), c.WebConsole.Tls);
        Assert.Equal("alice", Assert.Single(c.WebConsole.Users).User);
        Assert.Equal(["b", "update-pm"], c.AdminActions.Select(a => a.Id));
        Assert.Equal("b", c.AdminActions[0].Label);
        Assert.Equal(["true"], c.AdminActions[0].Command);
        Assert.Equal("Update ProcessMaster", c.AdminActions[1].Label);
    }

    [Theory]
    [InlineData("mode: 660", 0x1B0)]
    [InlineData("mode: \"660\"", 0x1B0)]
    [InlineData("mode: \"0660\"", 0x1B0)]
    [InlineData("mode: 0660", 0x1B0)]
    [InlineData("mode: \"0o660\"", 0x1B0)]
    [InlineData("mode: 0o660", 0x1B0)]
    [InlineData("mode: \"0\"", 0)]
    [InlineData("mode: 4755", 0x9ED)]
    public void Parse_SocketModeSpellings_AllReadAsOctal(string line, int expected)
    {
        MasterConfig c = Master("global: {config_directory: x}\nunix_socket:\n  " + line + "\n");
        Assert.Equal(expected, c.UnixSocket.Mode.Value);
    }

    [Fact]
    public void Parse_SameTextTwice_ConfigsAreEqual()
    {
        const string yaml = "global: {config_directory: x}\nadmin_actions: {a: {command: [x, y]}}\nweb_console: {auth: {basic: {users: []}}}\n";
        Assert.Equal(Master(yaml), Master(yaml));
        Assert.NotEqual(Master(yaml), Master(yaml.Replace("[x, y]", "[x, z]", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_BareFileName_KeepsPathsRelative()
    {
        ConfigResult<MasterConfig> r = MasterConfigParser.Parse("config.yaml", "global: {config_directory: ./config.d}\nunix_socket: {path: pm.sock}");
        Assert.True(r.IsValid, r.ToString());
        Assert.Equal("config.d", r.Value.Global.ConfigDirectory);
        Assert.Equal("pm.sock", r.Value.UnixSocket.Path);
    }

    [Fact]
    public void Parse_LoopbackWithDefaultCredentials_IsAccepted()
    {
        MasterConfig c = Master("global: {config_directory: x}\nweb_console: {enabled: true, bind: 127.0.0.1}\n");
        Assert.True(c.WebConsole.UsesDefaultCredentials);
        Assert.True(c.WebConsole.IsLoopback);
    }

    [Theory]
    [InlineData(null, 120_000L)]
    [InlineData("idle_stop: 1s", 1_000L)]
    [InlineData("idle_stop: 90m", 5_400_000L)]
    [InlineData("idle_stop: never", null)]
    public void Parse_IdleStop_DefaultsToTwoMinutes_NeverKeepsTheServer(string? line, long? expectedMs)
    {
        MasterConfig c = Master("global: {config_directory: x}\nweb_console:\n  enabled: true\n" + (line is null ? "" : "  " + line + "\n"));
        Assert.Equal(expectedMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, c.WebConsole.IdleStop);
    }

    [Theory]
    [InlineData("500ms", "too short")]
    [InlineData("soon", "invalid duration")]
    public void Parse_IdleStop_TooShortOrNotADuration_IsAnErrorAtTheKey(string value, string problem)
    {
        ConfigResult<MasterConfig> r = MasterConfigParser.Parse(MasterFile, $"global: {{config_directory: x}}\nweb_console:\n  idle_stop: {value}\n");
        Assert.False(r.IsValid);
        Assert.Contains(r.Errors, e => e.KeyPath == "web_console.idle_stop" && e.Problem.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ProblemElsewhere_KeepsThePartlyReadConfigurationForChecking()
    {
        ConfigResult<MasterConfig> r = MasterConfigParser.Parse(MasterFile, "global:\n  config_directory: ./services\nunix_socket:\n  mode: \"0680\"\n");
        Assert.False(r.IsValid);
        Assert.Null(r.Value);
        Assert.Equal("/etc/pm/services", r.Partial?.Global.ConfigDirectory);
    }

    [Fact]
    public void Parse_InvalidYaml_HasNoPartialConfiguration()
    {
        Assert.Null(MasterConfigParser.Parse(MasterFile, "global: [\n").Partial);
    }
}
