namespace ProcessMaster.Cli.Commands;

/// <summary>The FLAGS argument of flag/unflag: split on commas, each trimmed and lower-cased, empties dropped.</summary>
internal static class FlagList
{
    public const string NoFlags = "no flags provided";

    public static IReadOnlyList<string> Parse(string text) =>
        [.. text.Split(',').Select(f => f.Trim().ToLowerInvariant()).Where(f => f.Length > 0)];
}
