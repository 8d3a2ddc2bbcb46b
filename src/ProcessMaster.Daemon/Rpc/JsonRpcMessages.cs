using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>Writes the outgoing JSON-RPC messages as compact UTF-8 lines (each ends with <c>\n</c>).</summary>
internal static class JsonRpcMessages
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    /// <summary>A success response: <c>{"jsonrpc":"2.0","id":ID,"result":RESULT}</c>.</summary>
    public static void WriteResult(IBufferWriter<byte> output, JsonElement? id, object result, JsonTypeInfo typeInfo)
    {
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", JsonRpcVersion.Value);
            WriteId(writer, id);
            writer.WritePropertyName("result");
            JsonSerializer.Serialize(writer, result, typeInfo);
            writer.WriteEndObject();
        }
        NewLine(output);
    }

    /// <summary>An error response: <c>{"jsonrpc":"2.0","id":ID|null,"error":{"code":C,"message":M,"data":D?}}</c>.</summary>
    public static void WriteError(IBufferWriter<byte> output, JsonElement? id, int code, string message, JsonElement? data = null)
    {
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", JsonRpcVersion.Value);
            WriteId(writer, id);
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            if (data is JsonElement d)
            {
                writer.WritePropertyName("data");
                d.WriteTo(writer);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        NewLine(output);
    }

    /// <summary>A notification: <c>{"jsonrpc":"2.0","method":M,"params":P}</c>.</summary>
    public static void WriteNotification<T>(IBufferWriter<byte> output, string method, T @params, JsonTypeInfo<T> typeInfo)
    {
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", JsonRpcVersion.Value);
            writer.WriteString("method", method);
            writer.WritePropertyName("params");
            JsonSerializer.Serialize(writer, @params, typeInfo);
            writer.WriteEndObject();
        }
        NewLine(output);
    }

    /// <summary>The error response as one byte array.</summary>
    public static byte[] Error(JsonElement? id, RpcException error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteError(buffer, id, error.Code, error.Message, error.ErrorData);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteId(Utf8JsonWriter writer, JsonElement? id)
    {
        writer.WritePropertyName("id");
        if (id is JsonElement element) element.WriteTo(writer);
        else writer.WriteNullValue();
    }

    private static void NewLine(IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }
}
