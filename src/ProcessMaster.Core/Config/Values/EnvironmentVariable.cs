namespace ProcessMaster.Core.Config.Values;

/// <summary>One <c>process.environment</c> entry.</summary>
/// <param name="Name">Variable name: non-empty, no '=', no NUL.</param>
/// <param name="Value">Literal bytes or a file reference.</param>
public sealed record EnvironmentVariable(string Name, EnvironmentValue Value)
{
    /// <summary>Checks a variable name: non-empty, without '=' and NUL.</summary>
    public static bool TryValidateName(string name, out string error)
    {
        error = name.Length == 0 ? "environment variable name must not be empty"
            : name.Contains('=') ? $"environment variable name \"{name}\" must not contain '='"
            : name.Contains('\0') ? $"environment variable name \"{name.Replace("\0", "\\0")}\" must not contain a NUL character"
            : "";
        return error.Length == 0;
    }
}
