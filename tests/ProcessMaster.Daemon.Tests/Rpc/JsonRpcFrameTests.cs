using System.Text;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Daemon.Tests.Rpc;

public class JsonRpcFrameTests
{
    private static JsonRpcFrame Parse(string text) => JsonRpcFrame.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Parse_ValidRequest_ReadsIdMethodParams()
    {
        JsonRpcFrame frame = Parse("""{"jsonrpc":"2.0","id":7,"method":"status","params":{"name":"web"}}""");
        Assert.Null(frame.Error);
        Assert.True(frame.HasId);
        Assert.Equal(7, frame.Id!.Value.GetInt32());
        Assert.Equal("status", frame.Method);
        Assert.Equal("web", frame.Params!.Value.GetProperty("name").GetString());
    }

    [Fact]
    public void Parse_NoId_IsNotification()
    {
        JsonRpcFrame frame = Parse("""{"jsonrpc":"2.0","method":"update"}""");
        Assert.Null(frame.Error);
        Assert.False(frame.HasId);
        Assert.False(frame.WantsReply);
    }

    [Theory]
    [InlineData("{", RpcErrorCodes.ParseError, "not valid JSON")]
    [InlineData("nope", RpcErrorCodes.ParseError, "not valid JSON")]
    [InlineData("[1,2]", RpcErrorCodes.InvalidRequest, "batch requests")]
    [InlineData("42", RpcErrorCodes.InvalidRequest, "must be a JSON object")]
    [InlineData("""{"id":1,"method":"status"}""", RpcErrorCodes.InvalidRequest, "\"jsonrpc\" must be \"2.0\"")]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"status"}""", RpcErrorCodes.InvalidRequest, "\"jsonrpc\" must be \"2.0\"")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", RpcErrorCodes.InvalidRequest, "\"method\" must be a non-empty string")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":5}""", RpcErrorCodes.InvalidRequest, "\"method\" must be a non-empty string")]
    [InlineData("""{"jsonrpc":"2.0","id":{},"method":"status"}""", RpcErrorCodes.InvalidRequest, "\"id\" must be a string, a number or null")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"status","params":[1]}""", RpcErrorCodes.InvalidParams, "params must be an object")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"status","params":"x"}""", RpcErrorCodes.InvalidRequest, "\"params\" must be an object")]
    public void Parse_Malformed_ErrorWithCodeAndText(string line, int code, string text)
    {
        JsonRpcFrame frame = Parse(line);
        Assert.NotNull(frame.Error);
        Assert.Equal(code, frame.Error!.Code);
        Assert.Contains(text, frame.Error.Message, StringComparison.Ordinal);
        Assert.True(frame.WantsReply);
    }

    [Fact]
    public void Parse_InvalidUtf8_ParseError()
    {
        JsonRpcFrame frame = JsonRpcFrame.Parse(new byte[] { (byte)'"', 0xff, 0xfe, (byte)'"' });
        Assert.Equal(RpcErrorCodes.ParseError, frame.Error!.Code);
    }

    [Fact]
    public void Parse_DeepNesting_ParseErrorNotCrash()
    {
        JsonRpcFrame frame = Parse(new string('[', 10_000) + new string(']', 10_000));
        Assert.Equal(RpcErrorCodes.ParseError, frame.Error!.Code);
    }

    [Fact]
    public void Parse_BadRequestWithReadableId_KeepsId()
    {
        JsonRpcFrame frame = Parse("""{"id":"abc","method":"status"}""");
        Assert.Equal("abc", frame.Id!.Value.GetString());
    }
}
