using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ProcessMaster.Cli.Commands;

/// <summary>Pieces several commands share: <c>--format</c>, descriptions with examples, params serialization.</summary>
internal static class CommandText
{
    /// <summary><c>--format text|json</c> (case-sensitive, default text).</summary>
    public static Option<string> Format()
    {
        var option = new Option<string>("--format")
        {
            Description = "text (default) or json: the daemon's result object, pretty-printed (field names in docs/rpc.md).",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        option.AcceptOnlyFromAmong(StringComparer.Ordinal, "text", "json");
        return option;
    }

    /// <summary>A description followed by an Examples block.</summary>
    public static string Describe(string summary, params string[] examples) =>
        examples.Length == 0 ? summary : summary + "\n\nExamples:\n" + string.Join('\n', examples.Select(e => "  " + e));

    /// <summary>Params as a JSON element for <see cref="Rpc.RpcClient.CallAsync(string, JsonElement?, CancellationToken)"/>.</summary>
    public static JsonElement Params<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToElement(value, typeInfo);

    /// <summary>A result element as its type.</summary>
    public static T Read<T>(JsonElement result, JsonTypeInfo<T> typeInfo) =>
        result.Deserialize(typeInfo) ?? throw new CliException("the daemon sent an empty result");
}
