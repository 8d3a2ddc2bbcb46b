namespace ProcessMaster.Core.Names;

/// <summary>
/// The name of a service (SPEC §3.9): 1..64 of <c>[A-Za-z0-9._-]</c>, not starting with '.', and not
/// <c>.</c> or <c>..</c>. Such a name is a single path segment and can never escape its parent
/// directory or cgroup. Case-sensitive.
/// </summary>
public readonly record struct ServiceName
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxLength = 64;

    private ServiceName(string value) => Value = value;

    /// <summary>The name text.</summary>
    public string Value { get; }

    /// <summary>Validates <paramref name="text"/> as is (no trimming; callers trim where the format says so).</summary>
    public static bool TryParse(string text, out ServiceName value, out string error)
    {
        value = default;
        if (text.Length == 0)
        {
            error = "service name must not be empty";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"service name \"{text}\" is longer than {MaxLength} characters";
            return false;
        }

        if (text is "." or "..")
        {
            error = $"service name \"{text}\" is reserved";
            return false;
        }

        if (text[0] == '.')
        {
            error = $"service name \"{text}\" must not start with '.'";
            return false;
        }

        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                error = $"service name \"{text}\" contains invalid character '{c}' (allowed: ASCII letters, digits, '-', '_', '.')";
                return false;
            }
        }

        value = new ServiceName(text);
        error = "";
        return true;
    }

    /// <summary>Parses a name known to be valid (tests, constants); throws <see cref="FormatException"/> otherwise.</summary>
    public static ServiceName Parse(string text) =>
        TryParse(text, out ServiceName name, out string error) ? name : throw new FormatException(error);

    /// <summary>The name text.</summary>
    public override string ToString() => Value ?? "";
}
