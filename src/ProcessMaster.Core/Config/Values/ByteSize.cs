using System.Globalization;

namespace ProcessMaster.Core.Config.Values;

/// <summary>
/// A size in bytes. Grammar (reference §2.7.2): plain digits are bytes; otherwise a decimal number
/// followed by a unit <c>k m g t</c> (powers of 1000) or <c>ki mi gi ti</c> (powers of 1024), with an
/// optional trailing <c>b</c>, case-insensitive, spaces allowed between number and unit.
/// <c>10m</c> = 10,000,000; <c>64MiB</c> = 67,108,864; <c>1.5GiB</c> = 1,610,612,736.
/// Fractional results are rounded to the nearest byte. At most <see cref="MaxBytes"/> (<c>long.MaxValue</c>):
/// the largest value a cgroup file (<c>memory.max</c>, <c>io.max</c>) and a file offset can hold, so every
/// accepted size can be written and compared as a signed 64-bit number downstream.
/// </summary>
public readonly record struct ByteSize(ulong Bytes)
{
    /// <summary>The largest size accepted: 9223372036854775807 bytes (8 EiB − 1).</summary>
    public const ulong MaxBytes = long.MaxValue;

    private static readonly (string Unit, ulong Factor)[] Units =
    [
        ("", 1), ("k", 1000), ("m", 1000_000), ("g", 1000_000_000), ("t", 1000_000_000_000),
        ("ki", 1024), ("mi", 1024 * 1024), ("gi", 1024 * 1024 * 1024), ("ti", 1024UL * 1024 * 1024 * 1024),
    ];

    private static readonly (ulong Factor, string Suffix)[] RenderUnits =
    [
        (1024UL * 1024 * 1024 * 1024, "TiB"), (1000_000_000_000, "TB"), (1024 * 1024 * 1024, "GiB"), (1000_000_000, "GB"),
        (1024 * 1024, "MiB"), (1000_000, "MB"), (1024, "KiB"), (1000, "kB"),
    ];

    /// <summary>Parses a size such as <c>10m</c>, <c>64MiB</c> or <c>4096</c>.</summary>
    public static bool TryParse(string text, out ByteSize value, out string error)
    {
        value = default;
        string s = text.Trim();
        if (s.Length == 0)
        {
            error = "empty size; write a number of bytes or a number with a unit, e.g. 10m or 64MiB";
            return false;
        }

        if (s.All(char.IsAsciiDigit))
        {
            if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong plain) || plain > MaxBytes)
            {
                error = TooLarge(s);
                return false;
            }

            value = new ByteSize(plain);
            error = "";
            return true;
        }

        int split = 0;
        while (split < s.Length && (char.IsAsciiDigit(s[split]) || s[split] == '.'))
        {
            split++;
        }

        if (split == 0 || split == s.Length)
        {
            error = $"invalid size \"{s}\"; expected a number with an optional unit, e.g. 512k, 10m, 64MiB, 1.5GiB";
            return false;
        }

        string number = s[..split];
        string unit = s[split..].Trim().ToLowerInvariant();
        if (unit.EndsWith('b'))
        {
            unit = unit[..^1];
        }

        ulong factor = 0;
        foreach ((string u, ulong f) in Units)
        {
            if (u == unit)
            {
                factor = f;
            }
        }

        if (factor == 0)
        {
            error = $"unknown size unit \"{s[split..].Trim()}\" in \"{s}\"; use k/m/g/t (x1000) or ki/mi/gi/ti (x1024), optionally followed by b";
            return false;
        }

        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal n))
        {
            error = $"invalid size number \"{number}\" in \"{s}\"";
            return false;
        }

        // Bound the number before multiplying: n * factor could overflow decimal itself.
        decimal bytes = n > MaxBytes / (decimal)factor + 1 ? decimal.MaxValue : Math.Round(n * factor, MidpointRounding.AwayFromZero);
        if (bytes > MaxBytes)
        {
            error = TooLarge(s);
            return false;
        }

        value = new ByteSize((ulong)bytes);
        error = "";
        return true;
    }

    private static string TooLarge(string s) =>
        $"size \"{s}\" is too large (max {MaxBytes} bytes, the largest value the kernel accepts); use a smaller size";

    /// <summary>For people: the largest exact unit after a space (<c>256 MiB</c>, <c>10 MB</c>), else <c>N bytes</c>.</summary>
    public string Display
    {
        get
        {
            string text = ToString();
            int unit = 0;
            while (unit < text.Length && char.IsAsciiDigit(text[unit])) unit++;
            return unit == text.Length ? text + (Bytes == 1 ? " byte" : " bytes") : $"{text[..unit]} {text[unit..]}";
        }
    }

    /// <summary>Renders the largest exact unit (<c>64MiB</c>, <c>10MB</c>), else plain bytes; parses back to the same value.</summary>
    public override string ToString()
    {
        if (Bytes == 0)
        {
            return "0";
        }

        foreach ((ulong factor, string suffix) in RenderUnits)
        {
            if (Bytes % factor == 0)
            {
                return (Bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return Bytes.ToString(CultureInfo.InvariantCulture);
    }
}
