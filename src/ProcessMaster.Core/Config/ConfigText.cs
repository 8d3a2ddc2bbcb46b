using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;

namespace ProcessMaster.Core.Config;

/// <summary>
/// The bytes of a configuration file as text: strict UTF-8 (an invalid sequence is a problem with its line and
/// column, never silently replaced), and a leading byte order mark is dropped (YAML allows one).
/// </summary>
public static class ConfigText
{
    /// <summary>U+FEFF, which editors on some systems put at the start of UTF-8 files.</summary>
    public const char ByteOrderMark = '\uFEFF';

    /// <summary>Decodes <paramref name="bytes"/>, the content of <paramref name="file"/>.</summary>
    /// <returns>True with the text; false with a problem that names where the invalid byte is.</returns>
    public static bool TryDecode(string file, ReadOnlySpan<byte> bytes, out string text, [NotNullWhen(false)] out ConfigError? problem)
    {
        char[] buffer = new char[bytes.Length];
        OperationStatus status = Utf8.ToUtf16(bytes, buffer, out int read, out int written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            ReadOnlySpan<byte> before = bytes[..read];
            int line = before.Count((byte)'\n') + 1;
            int column = read - (before.LastIndexOf((byte)'\n') + 1) + 1;
            text = "";
            problem = new ConfigError(file, line, column, "",
                $"the file is not valid UTF-8: byte 0x{bytes[read]:X2} at offset {read} does not start a valid character",
                "save the file as UTF-8 text (a definition holds text only; put binary values in @base64:// or @hex://)");
            return false;
        }

        text = WithoutByteOrderMark(new string(buffer, 0, written));
        problem = null;
        return true;
    }

    /// <summary><paramref name="text"/> without a leading <see cref="ByteOrderMark"/>.</summary>
    public static string WithoutByteOrderMark(string text) => text.Length > 0 && text[0] == ByteOrderMark ? text[1..] : text;
}
