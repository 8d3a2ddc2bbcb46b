namespace ProcessMaster.Protocol;

/// <summary>
/// The service-name grammar of SPEC §3.9 for pmctl, which cannot reference Core: it tells a service from a file
/// name. The daemon checks every name with Core's <c>ServiceName.TryParse</c>; <c>RpcMethodsTests</c> holds the two
/// to the same answers.
/// </summary>
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
