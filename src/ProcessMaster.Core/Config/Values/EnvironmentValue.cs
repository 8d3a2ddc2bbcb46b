using System.Text;

namespace ProcessMaster.Core.Config.Values;

/// <summary>
/// The value of an environment variable (reference §2.7.6). Indirections are recognised on the
/// trimmed text: <c>@file://PATH</c> is a <see cref="FileReference"/> (read by the Linux layer at each
/// start, never here); <c>@base64://</c> / <c>@b64://</c> and <c>@hex://</c> are decoded and validated
/// at load into a <see cref="Literal"/>; anything else is a literal, untrimmed.
/// </summary>
public abstract record EnvironmentValue
{
    private protected EnvironmentValue()
    {
    }

    /// <summary>Bytes known at load time.</summary>
    public sealed record Literal(ValueList<byte> Bytes) : EnvironmentValue
    {
        /// <summary>The UTF-8 bytes of <paramref name="text"/>.</summary>
        public static Literal FromText(string text) => new(new ValueList<byte>(Encoding.UTF8.GetBytes(text)));

        /// <summary>The bytes as UTF-8 text (invalid sequences replaced), for display.</summary>
        public string Text => Encoding.UTF8.GetString([.. Bytes]);

        /// <inheritdoc/>
        public override string ToString() => Text;
    }

    /// <summary>A file whose content (at most 64 KiB, a regular file) becomes the value at start.</summary>
    public sealed record FileReference(string Path) : EnvironmentValue
    {
        /// <inheritdoc/>
        public override string ToString() => FilePrefix + Path;
    }

    private const string FilePrefix = "@file://";
    private const string HexPrefix = "@hex://";
    private static readonly string[] Base64Prefixes = ["@base64://", "@b64://"];

    /// <summary>Parses a value, decoding base64/hex indirections.</summary>
    public static bool TryParse(string text, out EnvironmentValue value, out string error)
    {
        value = Literal.FromText(text);
        error = "";
        string t = text.Trim();
        if (t.StartsWith(FilePrefix, StringComparison.Ordinal))
        {
            string path = t[FilePrefix.Length..];
            if (path.Length == 0)
            {
                error = "@file:// needs a path, e.g. @file:///etc/app/secret";
                return false;
            }

            value = new FileReference(path);
            return true;
        }

        foreach (string prefix in Base64Prefixes)
        {
            if (t.StartsWith(prefix, StringComparison.Ordinal))
            {
                try
                {
                    value = new Literal(new ValueList<byte>(Convert.FromBase64String(t[prefix.Length..])));
                    return true;
                }
                catch (FormatException)
                {
                    error = $"{prefix} value is not valid base64 (standard alphabet A-Z a-z 0-9 + /, '=' padding)";
                    return false;
                }
            }
        }

        if (t.StartsWith(HexPrefix, StringComparison.Ordinal))
        {
            return TryDecodeHex(t[HexPrefix.Length..], out value, out error);
        }

        return true;
    }

    private static bool TryDecodeHex(string body, out EnvironmentValue value, out string error)
    {
        value = Literal.FromText("");
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            body = body[2..];
        }

        // As in the original, every character that is not a hex digit is ignored (spaces, colons, dashes).
        string digits = new([.. body.Where(char.IsAsciiHexDigit)]);
        if (digits.Length % 2 != 0)
        {
            error = $"@hex:// value has an odd number of hex digits ({digits.Length}); each byte needs two digits";
            return false;
        }

        value = new Literal(new ValueList<byte>(Convert.FromHexString(digits)));
        error = "";
        return true;
    }
}
