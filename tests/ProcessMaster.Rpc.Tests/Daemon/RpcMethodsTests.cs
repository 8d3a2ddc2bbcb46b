using System.Text.Json;
using ProcessMaster.Core.Names;
using ProcessMaster.Protocol;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Rpc.Tests.Support;

namespace ProcessMaster.Rpc.Tests.Daemon;

public class RpcMethodsTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public async Task Invoke_StatusAll_PassesNullName()
    {
        var fake = new FakeSupervisor();
        RpcOutcome outcome = await new RpcMethods(fake).InvokeAsync("status", Json("""{"name":"all"}"""), RpcCaller.Internal, TestContext.Current.CancellationToken);
        Assert.Equal(2, ((StatusResult)outcome.Value).Statuses.Count);
        Assert.Contains("status ", fake.Calls);
    }

    [Fact]
    public async Task Invoke_Defaults_EventsN200LogsN50()
    {
        var fake = new FakeSupervisor();
        var methods = new RpcMethods(fake);
        await methods.InvokeAsync("events", null, RpcCaller.Internal, TestContext.Current.CancellationToken);
        await methods.InvokeAsync("logs", Json("""{"name":"web"}"""), RpcCaller.Internal, TestContext.Current.CancellationToken);
        Assert.Contains("events  200", fake.Calls);
        Assert.Contains("logs web 50", fake.Calls);
    }

    [Fact]
    public async Task Invoke_UnknownMethod_ListsMethods()
    {
        RpcException e = await Assert.ThrowsAsync<RpcException>(() =>
            new RpcMethods(new FakeSupervisor()).InvokeAsync("Reload", null, RpcCaller.Internal, TestContext.Current.CancellationToken));
        Assert.Equal(RpcErrorCodes.MethodNotFound, e.Code);
        Assert.Contains("status", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web", true)]
    [InlineData("a.b_c-9", true)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    [InlineData("é", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("a..b", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void ServiceName_OneGrammar_DaemonAndPmctlAgree(string name, bool valid)
    {
        // The daemon (RPC params, definitions) checks names with Core's ServiceName; pmctl, which cannot reference
        // Core, with Protocol's ServiceNameGrammar: both must say the same.
        Assert.Equal(valid, ServiceName.TryParse(name, out _, out _));
        Assert.Equal(valid, ServiceNameGrammar.IsValid(name));
    }

    [Fact]
    public void Names_CoverEveryMethodConstant()
    {
        string[] expected = ["status", "events", "logs", "logs_follow", "start", "stop", "restart", "update", "enable", "disable", "flag", "unflag",
            "admin_list", "admin_run", "admin_ps", "admin_kill", "server_version", "perf_metrics", "log_reopen", "shutdown", "metrics"];
        Assert.Equal(expected.Order(), RpcMethods.Names.Order());
    }
}
