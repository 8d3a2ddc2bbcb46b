using System.Text.Json;

namespace ProcessMaster.Rpc.Tests.Support;

/// <summary>Assertions on JSON-RPC replies.</summary>
internal static class Errors
{
    public static (int Code, string Message) Of(JsonElement reply)
    {
        Assert.Equal("2.0", reply.GetProperty("jsonrpc").GetString());
        Assert.True(reply.TryGetProperty("error", out JsonElement error), $"expected an error reply, got {reply}");
        Assert.False(reply.TryGetProperty("result", out _), "a reply must not carry both result and error");
        return (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()!);
    }

    public static JsonElement Result(JsonElement reply)
    {
        Assert.True(reply.TryGetProperty("result", out JsonElement result), $"expected a result, got {reply}");
        return result;
    }
}
