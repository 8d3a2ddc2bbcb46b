using System.Text;
using System.Text.Json;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Rpc.Tests.Cli;

/// <summary>
/// pmctl reads each line from the daemon with <see cref="ReplyLine"/>, not the serializer: the same message as the
/// protocol context's <see cref="JsonRpcResponse"/> for what it accepts, and a clear error for what it refuses.
/// </summary>
public class ReplyLineTests
{
    private static ReplyLine Parse(string line) => ReplyLine.Parse(Encoding.UTF8.GetBytes(line));

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":7,"result":{"statuses":[],"x":[1,{"y":null}]}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"result":null}""")]
    [InlineData("""{"jsonrpc":"2.0","id":7}""")]
    [InlineData("""{"id":"7","result":1,"extra":{"a":[]}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error","data":{"daemon":{"x":1}}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":3,"error":{"code":-32001,"message":"not co-built: \u00e9"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"log_line","params":{"line":"x\ny"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"logs_end"}""")]
    [InlineData("""{"id":1.5,"result":"x"}""")]
    [InlineData("""{"id":99999999999999999999,"result":"x"}""")]
    [InlineData("""{"id":1,"result":"first","result":"second"}""")]
    [InlineData(" {\"id\":1,\"result\":[]} \r")]
    public void Parse_WhatTheSerializerAccepts_SameMessage(string line)
    {
        JsonRpcResponse expected = JsonSerializer.Deserialize(line, ProtocolJsonContext.Default.JsonRpcResponse)!;
        ReplyLine parsed = Parse(line);

        Assert.Equal(expected.Id is not null, parsed.HasId);
        long? expectedId = expected.Id is { ValueKind: JsonValueKind.Number } id && id.TryGetInt64(out long n) ? n : null;
        Assert.Equal(expectedId, parsed.NumericId);
        Assert.Equal(expected.Method, parsed.Method);
        Assert.Equal(expected.Result?.GetRawText() ?? "", Encoding.UTF8.GetString(parsed.Result.Span));
        Assert.Equal(expected.Params?.GetRawText() ?? "", Encoding.UTF8.GetString(parsed.Params.Span));
        Assert.Equal(expected.Error?.Code, parsed.Error?.Code);
        Assert.Equal(expected.Error?.Message, parsed.Error?.Message);
        Assert.Equal(expected.Error?.Data?.GetRawText(), parsed.Error?.Data?.GetRawText());
    }

    [Theory]
    [InlineData("", "does not contain any JSON tokens")]
    [InlineData("   ", "")]
    [InlineData("null", "the message is null")]
    [InlineData("[1]", "the message is an array, not an object")]
    [InlineData("\"x\"", "the message is a string, not an object")]
    [InlineData("{\"id\":1,\"result\":", "")]
    [InlineData("{\"id\":1", "")]
    [InlineData("{\"id\":1} {\"id\":2}", "")]
    [InlineData("{\"id\":1}x", "")]
    [InlineData("{\"jsonrpc\":2,\"id\":1}", "jsonrpc is a number, not a string")]
    [InlineData("{\"method\":[],\"id\":1}", "method is an array, not a string")]
    [InlineData("{\"id\":1,\"error\":\"boom\"}", "error is a string, not an object")]
    [InlineData("{\"id\":1,\"error\":{\"message\":\"m\"}}", "error lacks code")]
    [InlineData("{\"id\":1,\"error\":{\"code\":1}}", "error lacks message")]
    [InlineData("{\"id\":1,\"error\":{\"code\":1.5,\"message\":\"m\"}}", "error.code is a number, not an integer")]
    [InlineData("{\"id\":1,\"error\":{\"code\":\"1\",\"message\":\"m\"}}", "error.code is a string, not an integer")]
    [InlineData("{\"id\":1,\"error\":{\"code\":1,\"message\":null}}", "error.message is null, not a string")]
    [InlineData("{'id':1}", "")]
    [InlineData("{\"id\":1,\"result\":{\"a\":tru}}", "")]
    public void Parse_Malformed_IsAJsonExceptionThatSaysWhy(string line, string expected)
    {
        var e = Assert.ThrowsAny<JsonException>(() => Parse(line));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        // The serializer refused these lines too (or read them as null: "the daemon sent an empty message").
        if (line != "null") Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(line, ProtocolJsonContext.Default.JsonRpcResponse));
    }

    [Fact]
    public void Parse_RawMembersAreCopies()
    {
        byte[] line = Encoding.UTF8.GetBytes("""{"id":1,"result":{"a":1}}""");
        ReplyLine parsed = ReplyLine.Parse(line);
        Array.Fill(line, (byte)' ');
        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString(parsed.Result.Span));
    }
}
