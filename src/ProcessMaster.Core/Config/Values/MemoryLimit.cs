namespace ProcessMaster.Core.Config.Values;

/// <summary>
/// A memory (or swap) limit: <c>MAX</c> (any case; the kernel's <c>max</c>) or a <see cref="ByteSize"/>.
/// </summary>
public readonly record struct MemoryLimit
{
    private MemoryLimit(bool isMax, ByteSize size)
    {
        IsMax = isMax;
        Size = size;
    }

    /// <summary>No limit (<c>max</c>).</summary>
    public static MemoryLimit Max { get; } = new(true, default);

    /// <summary>True for <c>max</c>; then <see cref="Size"/> is meaningless.</summary>
    public bool IsMax { get; }

    /// <summary>The limit when not <see cref="IsMax"/>.</summary>
    public ByteSize Size { get; }

    /// <summary>A limit of exactly <paramref name="size"/>.</summary>
    public static MemoryLimit Of(ByteSize size) => new(false, size);

    /// <summary>Parses <c>MAX</c>/<c>max</c> or a size (<c>512m</c>, <c>1GiB</c>, <c>0</c>).</summary>
    public static bool TryParse(string text, out MemoryLimit value, out string error)
    {
        if (text.Trim().Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            value = Max;
            error = "";
            return true;
        }

        if (ByteSize.TryParse(text, out ByteSize size, out error))
        {
            value = Of(size);
            return true;
        }

        value = default;
        error += " (or MAX for no limit)";
        return false;
    }

    /// <summary>The text written to <c>memory.max</c> / <c>memory.swap.max</c>: <c>max</c> or decimal bytes.</summary>
    public string CgroupValue => IsMax ? "max" : Size.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>MAX</c> or the size text; parses back to the same value.</summary>
    public override string ToString() => IsMax ? "MAX" : Size.ToString();
}
