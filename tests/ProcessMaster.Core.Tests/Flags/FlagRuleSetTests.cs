using ProcessMaster.Core.Flags;

namespace ProcessMaster.Core.Tests.Flags;

public class FlagRuleSetTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static FlagSet<SystemFlag> Of(params SystemFlag[] flags) =>
        flags.Aggregate(FlagSet<SystemFlag>.Empty, (s, f) => s.Set(f));

    [Fact]
    public void Embedded_Loads_WithAllDefaultRulesAndNoDiagnostics()
    {
        var load = FlagRuleSet.Load(null);
        Assert.Equal(FlagRuleSource.Embedded, load.Source);
        Assert.Null(load.Reason);
        Assert.Empty(load.Diagnostics);
        Assert.Equal(19, load.Rules.Count);
        var systemStart = load.Rules.RuleFor(SystemFlag.SystemStart)!;
        Assert.Equal([SystemFlag.UserStart, SystemFlag.UserStop, SystemFlag.OtKilled, SystemFlag.Failed, SystemFlag.Backoff, SystemFlag.SystemStart], systemStart.Clears);
        Assert.True(load.Rules.RuleFor(SystemFlag.NoFlag)!.ClearsAll);
        Assert.Equal([SystemFlag.Dummy1], load.Rules.RuleFor(SystemFlag.ExitOk)!.AlsoSets);
        Assert.Null(load.Rules.RuleFor(SystemFlag.Outdated));
    }

    // §5.3 worked examples with the default rules.
    [Fact]
    public void Apply_ExitOk_ClearsExitErrAndDummy2_AlsoSetsDummy1()
    {
        var change = FlagRuleSet.Embedded.Apply(Of(SystemFlag.ExitErr, SystemFlag.Dummy2, SystemFlag.SystemStart), SystemFlag.ExitOk);
        Assert.Equal(Of(SystemFlag.ExitOk, SystemFlag.Dummy1, SystemFlag.SystemStart), change.Flags);
        Assert.Equal([SystemFlag.ExitErr, SystemFlag.Dummy2], change.Cleared);
        Assert.Equal([SystemFlag.Dummy1], change.AlsoSet);
        Assert.True(change.Changed);
    }

    [Fact]
    public void Apply_ExitErr_OnExitOk_GivesExitErrAndDummy2()
    {
        var change = FlagRuleSet.Embedded.Apply(Of(SystemFlag.ExitOk, SystemFlag.Dummy1), SystemFlag.ExitErr);
        Assert.Equal(Of(SystemFlag.ExitErr, SystemFlag.Dummy2), change.Flags);
    }

    [Fact]
    public void Apply_NoFlag_ClearsEverythingElse()
    {
        var all = SystemFlags.All.Aggregate(FlagSet<SystemFlag>.Empty, (s, f) => s.Set(f));
        Assert.Equal(Of(SystemFlag.NoFlag), FlagRuleSet.Embedded.Apply(all, SystemFlag.NoFlag).Flags);
    }

    [Fact]
    public void Apply_UserStop_ClearsStartAndFailureFlags_KeepsOutdated()
    {
        var change = FlagRuleSet.Embedded.Apply(Of(SystemFlag.UserStart, SystemFlag.Failed, SystemFlag.Outdated), SystemFlag.UserStop);
        Assert.Equal(Of(SystemFlag.UserStop, SystemFlag.Outdated), change.Flags);
    }

    [Fact]
    public void Apply_SystemStartListsItselfInClears_SetWins()
    {
        var change = FlagRuleSet.Embedded.Apply(Of(SystemFlag.SystemStart, SystemFlag.UserStop), SystemFlag.SystemStart);
        Assert.Equal(Of(SystemFlag.SystemStart), change.Flags);
        Assert.Equal([SystemFlag.UserStop], change.Cleared);
    }

    [Fact]
    public void Apply_Expiry_OverwritesPrevious_AlsoSetKeepsItsOwn()
    {
        var rules = FlagRuleSet.Embedded;
        var flags = FlagSet<SystemFlag>.Empty.Set(SystemFlag.ExitOk, T0).Set(SystemFlag.Dummy1, T0.AddHours(1));
        var change = rules.Apply(flags, SystemFlag.ExitOk, T0.AddMinutes(5));
        Assert.True(change.Flags.TryGetExpiry(SystemFlag.ExitOk, out var exitOk));
        Assert.Equal(T0.AddMinutes(5), exitOk);
        Assert.True(change.Flags.TryGetExpiry(SystemFlag.Dummy1, out var dummy1));
        Assert.Equal(T0.AddHours(1), dummy1);

        var again = rules.Apply(change.Flags, SystemFlag.ExitOk, T0.AddMinutes(5));
        Assert.False(again.Changed);
    }

    [Fact]
    public void Apply_Cycle_ExpandsEachRuleOnce()
    {
        var rules = FlagRuleSet.Parse("""
            { "dummy3": { "also_sets": ["dummy4"], "clears": ["failed"] },
              "dummy4": { "also_sets": ["dummy3", "dummy5"], "clears": ["backoff", "dummy3"] },
              "dummy5": { "also_sets": ["dummy4"] } }
            """, "test").Rules!;
        var change = rules.Apply(Of(SystemFlag.Failed, SystemFlag.Backoff, SystemFlag.Outdated), SystemFlag.Dummy3);
        Assert.Equal(Of(SystemFlag.Outdated, SystemFlag.Dummy3, SystemFlag.Dummy4, SystemFlag.Dummy5), change.Flags);
        Assert.Equal([SystemFlag.Failed, SystemFlag.Backoff], change.Cleared);
    }

    [Fact]
    public void Apply_StarInChain_KeepsFreshFlagsOnly()
    {
        var rules = FlagRuleSet.Parse("""
            { "dummy3": { "also_sets": ["dummy4"] }, "dummy4": { "clears": ["*"], "also_sets": ["dummy5"] } }
            """, "test").Rules!;
        var change = rules.Apply(Of(SystemFlag.Outdated, SystemFlag.Failed, SystemFlag.Dummy5), SystemFlag.Dummy3);
        Assert.Equal(Of(SystemFlag.Dummy3, SystemFlag.Dummy4, SystemFlag.Dummy5), change.Flags);
        Assert.Equal([SystemFlag.Failed, SystemFlag.Outdated], change.Cleared.Order());
    }

    [Fact]
    public void Apply_FlagWithoutRule_JustSetsIt()
    {
        var change = FlagRuleSet.NoRules.Apply(Of(SystemFlag.Failed), SystemFlag.UserStart);
        Assert.Equal(Of(SystemFlag.Failed, SystemFlag.UserStart), change.Flags);
    }

    // §7.6 cases 106–108 and §5.2.
    [Fact]
    public void Load_Override_ReplacesEmbeddedEntirely()
    {
        var load = FlagRuleSet.Load("""{"user_stop": {"clears": ["*"]}}""");
        Assert.Equal(FlagRuleSource.Override, load.Source);
        Assert.Equal(1, load.Rules.Count);
        Assert.Null(load.Rules.RuleFor(SystemFlag.UserStart));
        Assert.Equal(Of(SystemFlag.UserStop), load.Rules.Apply(Of(SystemFlag.Outdated, SystemFlag.UserStart), SystemFlag.UserStop).Flags);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("""{"user_stop": {"clears": [1]}}""")]
    public void Load_InvalidOverride_KeepsEmbeddedWithReason(string json)
    {
        var load = FlagRuleSet.Load(json, "/etc/pm/flag_rules.json");
        Assert.Equal(FlagRuleSource.Embedded, load.Source);
        Assert.Same(FlagRuleSet.Embedded, load.Rules);
        Assert.StartsWith("/etc/pm/flag_rules.json: ", load.Reason);
        Assert.EndsWith("; using the built-in flag rules instead", load.Reason);
    }

    [Fact]
    public void Load_UnknownNames_IgnoredWithDiagnostics()
    {
        var load = FlagRuleSet.Load("""
            { "bogus": {"clears": ["failed"]},
              " exit_ok ": {"clears": ["nope", " exit_err "], "also_sets": ["*", "dummy1"], "extra": true} }
            """);
        Assert.Equal(FlagRuleSource.Override, load.Source);
        Assert.Equal(1, load.Rules.Count);
        var rule = load.Rules.RuleFor(SystemFlag.ExitOk)!;
        Assert.Equal([SystemFlag.ExitErr], rule.Clears);
        Assert.False(rule.ClearsAll);
        Assert.Equal([SystemFlag.Dummy1], rule.AlsoSets);
        Assert.Equal(3, load.Diagnostics.Count);
        Assert.StartsWith("flag_rules.json: rule \"bogus\" ignored: unknown flag (known: failed, backoff,", load.Diagnostics[0]);
        Assert.Equal("flag_rules.json: rule \"exit_ok\": clears entry \"nope\" ignored: unknown flag", load.Diagnostics[1]);
        Assert.Equal("flag_rules.json: rule \"exit_ok\": also_sets entry \"*\" ignored: unknown flag", load.Diagnostics[2]);
    }

    [Fact]
    public void Load_NameCaseSensitive_AndNullRuleIsEmpty()
    {
        var load = FlagRuleSet.Load("""{"User_Stop": {}, "failed": null}""");
        Assert.Single(load.Diagnostics);
        Assert.Equal(FlagRule.None.Clears, load.Rules.RuleFor(SystemFlag.Failed)!.Clears);
    }

    [Fact]
    public void Fallback_HasTheBuiltInRules()
    {
        var change = FlagRuleSet.Fallback.Apply(Of(SystemFlag.Failed, SystemFlag.Backoff, SystemFlag.UserStop), SystemFlag.SystemStart);
        Assert.Equal(Of(SystemFlag.UserStop, SystemFlag.SystemStart), change.Flags);
    }
}
