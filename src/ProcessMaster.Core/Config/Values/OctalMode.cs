using System.Globalization;

namespace ProcessMaster.Core.Config.Values;

/// <summary>
/// A file mode such as <c>0660</c>. Every spelling is read as octal digits (SPEC §3.8): <c>660</c>,
/// <c>"660"</c>, <c>"0660"</c>, unquoted <c>0660</c>, <c>"0o660"</c> and unquoted <c>0o660</c> all mean
/// rw-rw----. At most <c>07777</c>; digits 8 and 9 are rejected naming the digit.
/// </summary>
public readonly record struct OctalMode(int Value)
{
    /// <summary>The largest mode (setuid, setgid, sticky, rwxrwxrwx).</summary>
    public const int MaxValue = 0xFFF; // 07777

    /// <summary>Parses the octal text of a mode.</summary>
    public static bool TryParse(string text, out OctalMode value, out string error)
    {
        value = default;
        string s = text.Trim();
        string digits = s.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? s[2..] : s;
        if (digits.Length == 0)
        {
            error = $"invalid mode \"{s}\": empty; write octal digits, e.g. 0640";
            return false;
        }

        if (digits.StartsWith('-'))
        {
            error = $"invalid mode \"{s}\": must not be negative; write octal digits, e.g. 0640";
            return false;
        }

        long v = 0;
        foreach (char c in digits)
        {
            if (c is < '0' or > '7')
            {
                error = c is '8' or '9'
                    ? $"invalid mode \"{s}\": digit '{c}' is not octal (modes use digits 0-7, e.g. 0640)"
                    : $"invalid mode \"{s}\": '{c}' is not an octal digit (modes use digits 0-7, e.g. 0640)";
                return false;
            }

            v = (v * 8) + (c - '0');
            if (v > MaxValue)
            {
                error = $"invalid mode \"{s}\": exceeds the maximum 07777";
                return false;
            }
        }

        value = new OctalMode((int)v);
        error = "";
        return true;
    }

    /// <summary>Four octal digits with a leading zero, e.g. <c>0660</c>; parses back to the same value.</summary>
    public override string ToString() => "0" + Convert.ToString(Value, 8).PadLeft(3, '0');

    /// <summary>The symbolic form, e.g. <c>rw-rw----</c> (special bits shown as s/S/t/T).</summary>
    public string Symbolic
    {
        get
        {
            char[] c = "rwxrwxrwx".ToCharArray();
            for (int i = 0; i < 9; i++)
            {
                if ((Value & (1 << (8 - i))) == 0)
                {
                    c[i] = '-';
                }
            }

            if ((Value & 0x800) != 0)
            {
                c[2] = c[2] == 'x' ? 's' : 'S';
            }

            if ((Value & 0x400) != 0)
            {
                c[5] = c[5] == 'x' ? 's' : 'S';
            }

            if ((Value & 0x200) != 0)
            {
                c[8] = c[8] == 'x' ? 't' : 'T';
            }

            return new string(c);
        }
    }

    /// <summary>Formats <see cref="Value"/> in octal without padding (for messages).</summary>
    public string ToOctalString() => Convert.ToString(Value, 8).ToString(CultureInfo.InvariantCulture);
}
