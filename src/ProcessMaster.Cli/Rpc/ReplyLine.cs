using System.Text.Json;
using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Cli.Rpc;

/// <summary>
/// One message from the daemon (a reply or a notification), read with <see cref="Utf8JsonReader"/> rather than the
/// serializer: the <c>JsonTypeInfo</c> of <see cref="JsonRpcResponse"/> was set up at every pmctl start, and the
/// <c>result</c> stays raw UTF-8 so a command reads it straight into what it prints. Accepts what the protocol
/// context accepts for a <see cref="JsonRpcResponse"/> (case-sensitive names, unknown members skipped, the last of
/// duplicate members wins, strict numbers, <c>error.code</c> and <c>error.message</c> required) and rejects the
/// rest with a <see cref="JsonException"/> that says what is wrong where (<c>ReplyLineTests</c>).
/// </summary>
internal sealed class ReplyLine
{
    /// <summary>The request id when it is a number that fits a long; null when absent, JSON null, or not such a number.</summary>
    public long? NumericId { get; private init; }

    /// <summary>The message has an id (not absent, not JSON null).</summary>
    public bool HasId { get; private init; }

    /// <summary>A notification's method.</summary>
    public string? Method { get; private init; }

    /// <summary>The <c>result</c> value as raw UTF-8 (empty when absent or JSON null).</summary>
    public ReadOnlyMemory<byte> Result { get; private init; }

    /// <summary>A notification's <c>params</c> as raw UTF-8 (empty when absent or JSON null).</summary>
    public ReadOnlyMemory<byte> Params { get; private init; }

    /// <summary>The error of a failed call.</summary>
    public JsonRpcError? Error { get; private init; }

    /// <summary>Parses one line; the raw members are copied (the line's buffer is reused by the next read).</summary>
    public static ReplyLine Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read()) throw new JsonException("the line is empty");
        if (reader.TokenType == JsonTokenType.Null)
        {
            Finish(ref reader);
            throw new JsonException("the message is null");
        }
        if (reader.TokenType != JsonTokenType.StartObject) throw Unexpected(ref reader, "the message", "an object");

        long? numericId = null;
        bool hasId = false;
        string? method = null;
        ReadOnlyMemory<byte> result = default, @params = default;
        JsonRpcError? error = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("jsonrpc"u8))
            {
                _ = ReadString(ref reader, "jsonrpc");
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                Next(ref reader);
                hasId = reader.TokenType != JsonTokenType.Null;
                numericId = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value) ? value : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                result = RawValue(ref reader, line);
            }
            else if (reader.ValueTextEquals("params"u8))
            {
                @params = RawValue(ref reader, line);
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                method = ReadString(ref reader, "method");
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                error = ReadError(ref reader);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
        Finish(ref reader);
        return new ReplyLine { NumericId = numericId, HasId = hasId, Method = method, Result = result, Params = @params, Error = error };
    }

    private static JsonRpcError? ReadError(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject) throw Unexpected(ref reader, "error", "an object");
        int? code = null;
        string? message = null;
        JsonElement? data = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                Next(ref reader);
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int value)) throw Unexpected(ref reader, "error.code", "an integer");
                code = value;
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                message = ReadString(ref reader, "error.message") ?? throw Unexpected(ref reader, "error.message", "a string");
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                Next(ref reader);
                data = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
        if (code is null || message is null)
            throw new JsonException($"error lacks {(code is null ? "code" : "message")} (before byte {reader.BytesConsumed})");
        return new JsonRpcError { Code = code.Value, Message = message, Data = data };
    }

    /// <summary>The next value's bytes (copied), or empty for JSON null.</summary>
    private static ReadOnlyMemory<byte> RawValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        if (Next(ref reader) == JsonTokenType.Null) return default;
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        return line[start..(int)reader.BytesConsumed].ToArray();
    }

    private static string? ReadString(ref Utf8JsonReader reader, string member)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw Unexpected(ref reader, member, "a string"),
        };
    }

    /// <summary>Reads the next token; running out of input inside the message is an error, not an end.</summary>
    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException($"the line ends inside the message (byte {reader.BytesConsumed})");

    /// <summary>Nothing but whitespace may follow the message (the reader throws on anything else).</summary>
    private static void Finish(ref Utf8JsonReader reader)
    {
        if (reader.Read()) throw new JsonException($"more than one value on the line (byte {reader.TokenStartIndex})");
    }

    private static JsonException Unexpected(ref Utf8JsonReader reader, string what, string expected) =>
        new($"{what} is {Describe(reader.TokenType)}, not {expected} (byte {reader.TokenStartIndex})");

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
