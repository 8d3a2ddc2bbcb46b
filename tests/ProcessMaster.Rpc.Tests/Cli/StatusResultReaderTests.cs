using System.Text;
using System.Text.Json;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Rpc.Tests.Cli;

/// <summary>
/// pmctl reads a <c>status</c> result with <see cref="StatusResultReader"/>, not the serializer: it must read what the
/// protocol context writes into the same values, know every member the context knows, and refuse what the context
/// refuses with a message that names the member.
/// </summary>
public class StatusResultReaderTests
{
    private static StatusEntry Full(string name, int seed) => new()
    {
        Application = name, Enabled = seed % 2 == 0, Running = true, Actual = ActualState.Running, Phase = ServicePhase.Backoff,
        Restarts10m = seed, SystemFlags = ["restarting", "x<&>\u00e9"], UserFlags = ["maint"], Pids = [seed, seed + 1],
        PidUptimesMs = [long.MaxValue, -1], WorkingDirectory = "/srv/\"q\"", ProvisioningMarker = "/srv/.pm_provisioned",
        ProvisioningDefined = true, ProvisioningMarkerExists = true, SourceFile = "/etc/pm/web.yaml", LastRunAtMs = 1_700_000_000_000,
        LastExitCode = -3, Schedule = "*/5 * * * *", ScheduleNotBeforeMs = 1, ScheduleNotAfterMs = 2, ScheduleMaxTimePerRunMs = 3,
        Kind = ServiceKindName.Job, State = DetailedState.Killing, MainPid = int.MaxValue, NextRunAtMs = 4,
        Runs = [new RunEntry { StartedAtMs = 5, EndedAtMs = 6, DurationMs = 1, Result = "Signal", ExitCode = null, Signal = 9, Detail = "line\nbreak" },
                new RunEntry { StartedAtMs = 7, EndedAtMs = 8, DurationMs = 1, Result = "Success", ExitCode = 0 }],
        Detail = "exited 3", LimitProblems = ["memory controller off"], OomKills = 2, NrThrottled = 10, ThrottledUsec = 123_456,
        CpuPressureAvg10 = 1.25, MemoryPressureAvg10 = 0, IoPressureAvg10 = 99.99,
    };

    private static string Json(StatusResult result) => JsonSerializer.Serialize(result, ProtocolJsonContext.Default.StatusResult);

    private static StatusResult Read(string json) => StatusResultReader.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Read_EveryMemberSet_SameValuesAsTheSerializer()
    {
        var result = new StatusResult { Statuses = [Full("web", 1), Full("w\u00e9b 2", 2), new StatusEntry { Application = "bare" }], Notices = ["web console: not serving"] };
        string json = Json(result);

        Assert.Equal(json, Json(Read(json)));
        Assert.Equal(Json(JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.StatusResult)!), Json(Read(json)));
    }

    [Fact]
    public void Read_EveryEnumMember_AsTheContextWritesIt()
    {
        var entries = new List<StatusEntry>();
        foreach (ServicePhase phase in Enum.GetValues<ServicePhase>())
            foreach (DetailedState state in Enum.GetValues<DetailedState>())
                entries.Add(new StatusEntry { Application = "a", Phase = phase, State = state, Actual = ActualState.Stopped, Kind = ServiceKindName.Service });
        entries.Add(new StatusEntry { Application = "b", Actual = ActualState.Running, Kind = ServiceKindName.Job });
        string json = Json(new StatusResult { Statuses = entries });

        Assert.Equal(json, Json(Read(json)));
    }

    [Fact]
    public void EntryMembers_AreTheContexts()
    {
        Assert.Equal(ProtocolJsonContext.Default.StatusEntry.Properties.Select(p => p.Name).Order(), StatusResultReader.EntryMembers.Order());
        Assert.Equal(ProtocolJsonContext.Default.RunEntry.Properties.Select(p => p.Name).Order(), StatusResultReader.RunMembers.Order());
    }

    [Theory]
    [InlineData("""{"statuses":[{"application":"a","phase":"running","state":"RUNNING","actual":"Running"}],"unknown":{"x":[1]}}""")]
    [InlineData("""{"statuses":[{"application":"a","extra":[{"deep":null}],"application":"b"}]}""")]
    [InlineData("""{"notices":["n"]}""")]
    [InlineData("""{}""")]
    [InlineData(""" { "statuses" : [ ] } """)]
    [InlineData("""{"statuses":[{"\u0061pplication":"esc\u00e9","pids":[1,2],"runs":[{"result":"Success","exit_code":null}]}]}""")]
    [InlineData("""{"statuses":[{"application":"a","user_flags":[null,"x"]}],"notices":[null]}""")]
    public void Read_WhatTheSerializerAccepts_SameValues(string json)
    {
        StatusResult expected = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.StatusResult)!;
        // The context's generated initializer leaves an absent init-only list null (it cannot even write that back);
        // the reader leaves it empty, as the type's initializer says.
        expected.Statuses = [.. expected.Statuses.Select(e => e with { Runs = e.Runs ?? [], LimitProblems = e.LimitProblems ?? [] })];
        Assert.Equal(Json(expected), Json(Read(json)));
    }

    [Theory]
    [InlineData("", "does not contain any JSON tokens")]
    [InlineData("[]", "the result is an array, not an object")]
    [InlineData("null", "the result is null, not an object")]
    [InlineData("{\"statuses\":{}}", "statuses is an object, not an array")]
    [InlineData("{\"statuses\":null}", "statuses is null, not an array")]
    [InlineData("{\"statuses\":[1]}", "statuses[] is a number, not an object")]
    [InlineData("{\"statuses\":[{}]}", "statuses[] lacks application")]
    [InlineData("{\"statuses\":[{\"application\":null}]}", "application is null, not a string")]
    [InlineData("{\"statuses\":[{\"application\":\"a\",\"pids\":[1.5]}]}", "pids[] is a number, not an integer (32 bits)")]
    [InlineData("{\"statuses\":[{\"application\":\"a\",\"pids\":[\"1\"]}]}", "pids[] is a string, not an integer (32 bits)")]
    [InlineData("{\"statuses\":[{\"application\":\"a\",\"restarts_10m\":3000000000}]}", "restarts_10m is a number, not an integer (32 bits)")]
    [InlineData("{\"statuses\":[{\"application\":\"a\",\"enabled\":\"yes\"}]}", "enabled is a string, not a boolean")]
    [InlineData("{\"statuses\":[{\"application\":\"a\",\"phase\":\"FLYING\"}]}", "phase is \"FLYING\", not one of")]
    [InlineData("{\"statuses\":[{\"application\":\"a\",\"phase\":4}]}", "phase is a number, not a string")]
    [InlineData("{\"statuses\":[{\"application\":\"a\",\"user_flags\":[1]}]}", "user_flags[] is a number, not a string")]
    [InlineData("{\"statuses\":[{\"application\":\"a\",\"cpu_pressure_avg10\":\"1\"}]}", "cpu_pressure_avg10 is a string, not a number")]
    [InlineData("{\"statuses\":[{\"application\":\"a\",\"runs\":[{\"started_at_ms\":1}]}]}", "runs[] lacks result")]
    [InlineData("{\"statuses\":[{\"application\":\"a\"", "open JSON object or array")]
    [InlineData("{\"statuses\":[]} {}", "invalid after a single JSON value")]
    [InlineData("{\"statuses\":[],}", "")]
    [InlineData("{\"notices\":[\"a\",2]}", "notices[] is a number, not a string")]
    public void Read_Malformed_SaysWhatIsWrong(string json, string expected)
    {
        var e = Assert.ThrowsAny<JsonException>(() => Read(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        // The serializer refuses it too: the reader is never stricter or looser than the context.
        if (json.Length > 0 && json != "null") Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.StatusResult));
    }
}
