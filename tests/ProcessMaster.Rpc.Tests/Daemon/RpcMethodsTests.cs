using System.Text.Json;
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
    public void IsServiceName_FollowsGrammar(string name, bool valid) => Assert.Equal(valid, RpcMethods.IsServiceName(name));

    [Fact]
    public void IsServiceName_MaxLength64() 
    {
        Assert.True(RpcMethods.IsServiceName(new string('a', 64)));
        Assert.False(RpcMethods.IsServiceName(new string('a', 65)));
    }

    [Fact]
    public void Names_CoverEveryMethodConstant()
    {
        string[] expected = ["status", "events", "logs", "logs_follow", "start", "stop", "restart", "update", "enable", "disable", "flag", "unflag",
            "admin_list", "admin_run", "admin_ps", "admin_kill", "server_version", "perf_metrics", "log_reopen", "shutdown"];
        Assert.Equal(expected.Order(), RpcMethods.Names.Order());
    }
}
