using System.Text;
using System.Text.Json;
using ProcessMaster.Cli.Commands;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

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

    [Theory]
    [InlineData(null, false)]
    [InlineData("web", true)]
    [InlineData("w\u00e9b <&> \"q\"\n", false)]
    public void StatusParams_AreTheSerializers(string? name, bool resources)
    {
        byte[] expected = JsonSerializer.SerializeToUtf8Bytes(new StatusParams { Name = name, Resources = resources }, ProtocolJsonContext.Default.StatusParams);
        Assert.Equal(Encoding.UTF8.GetString(expected), Written(w => StatusCommand.WriteParams(w, name, resources)));
    }

    [Fact]
    public void HandshakeParams_AreTheSerializers()
    {
        var hello = new HandshakeParams { BuildHost = BuildInfo.Host, BuildTime = BuildInfo.Time, Client = "pmctl" };
        byte[] expected = JsonSerializer.SerializeToUtf8Bytes(hello, ProtocolJsonContext.Default.HandshakeParams);
        Assert.Equal(Encoding.UTF8.GetString(expected), Written(RpcClient.HandshakeParams));
    }

    private static string Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
