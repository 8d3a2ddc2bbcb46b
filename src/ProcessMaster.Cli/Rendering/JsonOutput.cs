using System.Text;
using System.Text.Json;

namespace ProcessMaster.Cli.Rendering;

/// <summary><c>--format json</c>: the daemon's result object, pretty-printed with 2-space indentation, unchanged.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Pretty = new() { Indented = true, IndentSize = 2, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(JsonElement result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Pretty)) result.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
