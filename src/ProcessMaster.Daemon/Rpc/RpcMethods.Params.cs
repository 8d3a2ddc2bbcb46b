using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProcessMaster.Core.Flags;
using ProcessMaster.Core.Names;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>Params binding and validation: every problem is a -32602 naming the field and what is expected.</summary>
internal sealed partial class RpcMethods
{
    /// <summary>Deserializes <paramref name="params"/> (absent or null = <c>{}</c>) into the method's params type.</summary>
    public static T Bind<T>(string method, JsonElement? @params, JsonTypeInfo<T> typeInfo)
    {
        JsonElement element = @params ?? default;
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            element = EmptyObject;
        }
        else if (element.ValueKind != JsonValueKind.Object)
        {
            throw RpcException.InvalidParams(method, $"params must be an object (by name), got {Describe(element.ValueKind)}");
        }
        try
        {
            return element.Deserialize(typeInfo) ?? throw RpcException.InvalidParams(method, "params must be an object");
        }
        catch (JsonException e)
        {
            throw RpcException.InvalidParams(method, ExplainBindingError(e, typeInfo));
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Turns System.Text.Json's binding message into one about the wire field, without .NET type names.</summary>
    internal static string ExplainBindingError(JsonException e, JsonTypeInfo typeInfo)
    {
        string message = e.Message;
        string? field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;

        const string missing = "missing required properties including: ";
        int at = message.IndexOf(missing, StringComparison.Ordinal);
        if (at >= 0)
        {
            string names = message[(at + missing.Length)..].TrimEnd('.').Replace("'", "\"", StringComparison.Ordinal);
            return $"missing required field {names}";
        }
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            string name = Quoted(message) ?? field ?? "?";
            return $"unknown field \"{Truncate(name, 64)}\"";
        }
        if (message.Contains("doesn't allow setting null values", StringComparison.Ordinal) ||
            message.Contains("does not allow setting null", StringComparison.Ordinal) ||
            message.Contains("null values", StringComparison.Ordinal))
        {
            return $"field \"{Quoted(message) ?? field ?? "?"}\" must not be null";
        }
        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            Type? type = typeInfo.Properties.FirstOrDefault(p => p.Name == field)?.PropertyType;
            return $"field \"{field ?? "?"}\" has the wrong type; expected {ExpectedType(type)}";
        }
        return field is null ? "params are not valid JSON for this method" : $"field \"{field}\" is not valid";
    }

    private static string? Quoted(string message)
    {
        int open = message.IndexOf('\'', StringComparison.Ordinal);
        int close = open < 0 ? -1 : message.IndexOf('\'', open + 1);
        return close > open ? message[(open + 1)..close] : null;
    }

    private static string ExpectedType(Type? type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "an integer"
        : type == typeof(string) ? "a string"
        : type == typeof(IReadOnlyList<string>) ? "an array of strings"
        : "the type in docs/rpc.md";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    internal static string RequiredName(string method, string field, string? value, bool allowAll)
    {
        if (string.IsNullOrWhiteSpace(value)) throw RpcException.InvalidParams(method, $"field \"{field}\" must not be empty");
        if (allowAll && value == "all") return value;
        if (!ServiceName.TryParse(value, out _, out _))
        {
            throw RpcException.InvalidParams(method,
                $"field \"{field}\": \"{Truncate(value, 80)}\" is not a service name (1-64 of A-Z a-z 0-9 . _ -, not starting with a dot)" +
                (allowAll ? " or \"all\"" : ""));
        }
        return value;
    }

    internal static string? OptionalName(string method, string field, string? value, bool allowAll) =>
        value is null ? null : allowAll && value == "all" ? null : RequiredName(method, field, value, allowAll: false);

    private static string? OptionalFileName(string method, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (value.Contains('/', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal) || value is "." or "..")
        {
            throw RpcException.InvalidParams(method, $"field \"file\": \"{Truncate(value, 80)}\" must be a file's base name (e.g. stdout.log), not a path");
        }
        return value;
    }

    internal static string NonBlank(string method, string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw RpcException.InvalidParams(method, $"field \"{field}\" must not be empty") : value.Trim();

    internal static int InRange(string method, string field, int value, int min, int max) =>
        value < min || value > max
            ? throw RpcException.InvalidParams(method, $"field \"{field}\" is {value}; it must be between {min} and {max}")
            : value;

    /// <summary>
    /// Checks the raw flags first (at most 100, each at most 50 bytes), then trims and lower-cases them, refuses a
    /// character outside <c>a-z 0-9 _ . : -</c> and drops empties and duplicates in one pass (<see cref="UserFlags.TryParseNames"/>).
    /// </summary>
    internal static IReadOnlyList<string> NormalizeFlags(string method, IReadOnlyList<string?> flags) =>
        UserFlags.TryParseNames(flags, out IReadOnlyList<string> names, out string error)
            ? names
            : throw RpcException.InvalidParams(method, $"field \"flags\": {error}");
}
