using System.Text;

namespace ProcessMaster.Core.Config.Parsing;

/// <summary>The shape of every value grammar's <c>TryParse</c>.</summary>
internal delegate bool TryParseValue<T>(string text, out T value, out string error);

/// <summary>Small helpers that turn optional DTO text into typed values, reporting errors at the key.</summary>
internal static class ValueReader
{
    /// <summary>Parses <paramref name="text"/> when present; on error reports at <paramref name="path"/> and returns <paramref name="fallback"/>.</summary>
    public static T Parse<T>(ConfigDiagnostics d, string path, string? text, TryParseValue<T> parse, T fallback, string fix = "")
    {
        if (text is null)
        {
            return fallback;
        }

        if (parse(text, out T value, out string error))
        {
            return value;
        }

        Report(d, path, error, fix);
        return fallback;
    }

    /// <summary>
    /// Reports <paramref name="text"/> at <paramref name="path"/>. Grammar and lookup errors read "problem; hint": the
    /// hint is specific to what went wrong, so it is the fix; <paramref name="fix"/> is used for text without one.
    /// </summary>
    public static void Report(ConfigDiagnostics d, string path, string text, string fix = "")
    {
        int split = text.IndexOf("; ", StringComparison.Ordinal);
        if (split > 0)
        {
            fix = text[(split + 2)..];
            text = text[..split];
        }

        d.At(path, text, fix);
    }

    /// <summary>Trimmed text, or null when absent; a blank value is an error (it is almost always a mistake).</summary>
    public static string? NonBlank(ConfigDiagnostics d, string path, string? text, string fix)
    {
        if (text is null)
        {
            return null;
        }

        string t = text.Trim();
        if (t.Length == 0)
        {
            d.At(path, "must not be empty", fix);
            return null;
        }

        return t;
    }

    /// <summary>True when the scalar at <paramref name="path"/> is an unquoted YAML boolean (for keys that take text).</summary>
    public static bool IsPlainBool(ConfigDiagnostics d, string path) => d.Index.ValueAt(path) is ConfigScalar { AsBool: not null };

    /// <summary>
    /// False (with a problem) when the argv of a command is over <see cref="ConfigLimits.MaxArgvBytes"/>: the UTF-8
    /// bytes of every word plus its NUL, as the kernel counts them.
    /// </summary>
    public static bool CheckArgvSize(ConfigDiagnostics d, string path, IReadOnlyList<string> argv)
    {
        long bytes = 0;
        foreach (string word in argv)
        {
            bytes += Encoding.UTF8.GetByteCount(word) + 1;
        }

        if (bytes <= ConfigLimits.MaxArgvBytes)
        {
            return true;
        }

        d.At(path, $"the command is {bytes} bytes ({argv.Count} words), over the limit of {ConfigLimits.MaxArgvBytes} bytes",
            "shorten it; pass large data in a file the program reads");
        return false;
    }

    /// <summary>Reports a required key that is absent.</summary>
    public static bool Require(ConfigDiagnostics d, string path, string parentPath, string key, string fix)
    {
        if (d.Index.Has(NodeIndex.Child(path, key)) && !d.Index.IsExplicitNull(NodeIndex.Child(path, key)))
        {
            return true;
        }

        d.At(NodeIndex.Child(path, key), $"missing required key \"{key}\"" + (parentPath.Length > 0 ? $" in {parentPath}" : ""), fix);
        return false;
    }
}
