using ProcessMaster.Core.Config.Parsing;

namespace ProcessMaster.Core.Tests.Config.Parsing;

public class KeySuggestionTests
{
    private static readonly string[] Keys = ["working_directory", "start_command", "stop_command", "stop_signal", "user", "group"];

    [Theory]
    [InlineData("start_comand", "start_command")]
    [InlineData("Start_Command", "start_command")]
    [InlineData("stop_singal", "stop_signal")]
    [InlineData("usr", "user")]
    [InlineData("working_dir", null)]
    [InlineData("xyz", null)]
    public void Closest_Typos_SuggestTheIntendedKey(string key, string? expected) =>
        Assert.Equal(expected, KeySuggestion.Closest(key, Keys));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("abc", "", 3)]
    public void Distance_IsLevenshtein(string a, string b, int d) => Assert.Equal(d, KeySuggestion.Distance(a, b));
}
