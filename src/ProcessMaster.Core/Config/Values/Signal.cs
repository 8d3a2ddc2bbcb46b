namespace ProcessMaster.Core.Config.Values;

/// <summary>
/// A Linux signal, carried with its x86-64/arm64 number. Parsed from a name with or without the
/// <c>SIG</c> prefix, any case, surrounding whitespace ignored (<c>TERM</c>, <c>sigterm</c>,
/// <c>SIGUSR1</c>). Numbers are deliberately rejected: names are unambiguous in a config file and
/// read better in <c>status</c> output; the original accepted no numbers either.
/// </summary>
public readonly record struct Signal
{
    private static readonly (string Name, int Number)[] Table =
    [
        ("HUP", 1), ("INT", 2), ("QUIT", 3), ("ILL", 4), ("TRAP", 5), ("ABRT", 6), ("BUS", 7), ("FPE", 8),
        ("KILL", 9), ("USR1", 10), ("SEGV", 11), ("USR2", 12), ("PIPE", 13), ("ALRM", 14), ("TERM", 15),
        ("STKFLT", 16), ("CHLD", 17), ("CONT", 18), ("STOP", 19), ("TSTP", 20), ("TTIN", 21), ("TTOU", 22),
        ("URG", 23), ("XCPU", 24), ("XFSZ", 25), ("VTALRM", 26), ("PROF", 27), ("WINCH", 28), ("IO", 29),
        ("PWR", 30), ("SYS", 31),
    ];

    private Signal(string name, int number)
    {
        Name = name;
        Number = number;
    }

    /// <summary>SIGTERM (15), the default stop signal.</summary>
    public static Signal Term { get; } = new("TERM", 15);

    /// <summary>SIGKILL (9).</summary>
    public static Signal Kill { get; } = new("KILL", 9);

    /// <summary>SIGINT (2).</summary>
    public static Signal Int { get; } = new("INT", 2);

    /// <summary>SIGHUP (1).</summary>
    public static Signal Hup { get; } = new("HUP", 1);

    /// <summary>The name without the SIG prefix, upper case (<c>TERM</c>).</summary>
    public string Name { get; }

    /// <summary>The Linux signal number (15 for TERM).</summary>
    public int Number { get; }

    /// <summary>Every name this type accepts, without the SIG prefix.</summary>
    public static IEnumerable<string> KnownNames => Table.Select(t => t.Name);

    /// <summary>Parses <c>TERM</c>, <c>SIGTERM</c>, <c>sigterm</c>.</summary>
    public static bool TryParse(string text, out Signal value, out string error)
    {
        value = default;
        string s = text.Trim().ToUpperInvariant();
        string bare = s.StartsWith("SIG", StringComparison.Ordinal) ? s[3..] : s;
        foreach ((string name, int number) in Table)
        {
            if (name == bare)
            {
                value = new Signal(name, number);
                error = "";
                return true;
            }
        }

        error = bare.Length > 0 && bare.All(char.IsAsciiDigit)
            ? $"signal \"{text.Trim()}\": numbers are not accepted; use a name such as TERM, INT, HUP, QUIT, KILL, USR1"
            : $"unknown signal \"{text.Trim()}\"; use a name such as TERM, INT, HUP, QUIT, KILL, USR1, USR2 (with or without SIG)";
        return false;
    }

    /// <summary><c>SIGTERM</c>; parses back to the same value.</summary>
    public override string ToString() => Name is null ? "" : "SIG" + Name;
}
