using System.Text;
using System.Text.Json;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Rpc.Tests.Cli;

/// <summary>pmctl writes its request lines without the serializer: byte for byte what the protocol context writes.</summary>
public class RequestLineTests
{
    [Theory]
    [InlineData(1, "status", "{\"name\":null,\"resources\":false}")]
    [InlineData(42, "server_version", null)]
    [InlineData(long.MaxValue, "logs", "{\"name\":\"w\\u00e9b <&>\",\"lines\":[1,2.5,\"x\"]}")]
    [InlineData(7, "ünïcode \"quoted\"\n", "[]")]
    public void Line_IsTheSerializersRequest(long id, string method, string? paramsJson)
    {
        JsonElement? @params = paramsJson is null ? null : JsonDocument.Parse(paramsJson).RootElement.Clone();
        var request = new JsonRpcRequest { Id = JsonSerializer.SerializeToElement(id, ProtocolJsonContext.Default.Int64), Method = method, Params = @params };
        byte[] expected = [.. JsonSerializer.SerializeToUtf8Bytes(request, ProtocolJsonContext.Default.JsonRpcRequest), (byte)'\n'];

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(RpcClient.Line(id, method, @params)));
    }
}
