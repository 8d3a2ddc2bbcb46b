namespace ProcessMaster.Protocol;

/// <summary>The service-name grammar of SPEC §3.9 as the wire uses it: the daemon checks params, pmctl tells a service from a file name.</summary>
public static class ServiceNameGrammar
{
    /// <summary>Longest service name.</summary>
    public const int MaxLength = 64;

    /// <summary>1-64 of <c>A-Z a-z 0-9 . _ -</c>, not starting with a dot.</summary>
    public static bool IsValid(string value)
    {
        if (value.Length is 0 or > MaxLength || value[0] == '.') return false;
        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        }
        return true;
    }
}
