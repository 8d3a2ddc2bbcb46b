using System.Text.Json;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Rpc;

/// <summary>
/// Reads a <c>status</c> result with <see cref="Utf8JsonReader"/> straight into <see cref="StatusResult"/>: at pmctl's
/// start the serializer spent more time setting up the metadata of these types than reading 100 entries. It reads
/// what the protocol context reads (snake_case names, case-sensitive; unknown members skipped; the last of duplicate
/// members wins; null only where the type allows it, and in string lists; strict numbers; enum names in any case, no
/// numbers) and says what is wrong where otherwise. One difference: a list member the daemon leaves out is empty here,
/// where the context's generated initializer sets such an init-only member to null. <c>StatusResultReaderTests</c> hold it to the context, member by member.
/// </summary>
internal static class StatusResultReader
{
    /// <summary>The JSON names of <see cref="StatusEntry"/>'s members this reader fills (the tests compare them to the context's).</summary>
    internal static readonly string[] EntryMembers =
    [
        "application", "enabled", "running", "actual", "phase", "restarts_10m", "system_flags", "user_flags", "pids",
        "pid_uptimes_ms", "working_directory", "provisioning_marker", "provisioning_defined", "provisioning_marker_exists",
        "source_file", "last_run_at_ms", "last_exit_code", "schedule", "schedule_not_before_ms", "schedule_not_after_ms",
        "schedule_max_time_per_run_ms", "kind", "state", "main_pid", "next_run_at_ms", "runs", "detail", "limit_problems",
        "oom_kills", "nr_throttled", "throttled_usec", "cpu_pressure_avg10", "memory_pressure_avg10", "io_pressure_avg10",
    ];

    private static readonly byte[][] EntryNames = [.. EntryMembers.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>The JSON names of <see cref="RunEntry"/>'s members this reader fills.</summary>
    internal static readonly string[] RunMembers = ["started_at_ms", "ended_at_ms", "duration_ms", "result", "exit_code", "signal", "detail"];

    /// <summary>Reads a whole result; <see cref="JsonException"/> (naming the member and byte) when it is not one.</summary>
    public static StatusResult Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read()) throw new JsonException("the result is empty");
        var result = new StatusResult();
        StartObject(ref reader, "the result");
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("statuses"u8)) result.Statuses = List(ref reader, "statuses", ReadEntry);
            else if (reader.ValueTextEquals("notices"u8)) result.Notices = Strings(ref Advanced(ref reader), "notices");
            else Skip(ref reader);
        }
        if (reader.Read()) throw new JsonException($"more than one value in the result (byte {reader.TokenStartIndex})");
        return result;
    }

    private static StatusEntry ReadEntry(ref Utf8JsonReader reader)
    {
        StartObject(ref reader, "statuses[]");
        var e = new Entry();
        int expected = 0;
        while (NextMember(ref reader))
        {
            int member = MemberIndex(ref reader, expected);
            if (member < EntryNames.Length) expected = member + 1;
            Advance(ref reader);
            switch (member < EntryMembers.Length ? EntryMembers[member] : null)
            {
                case "application": e.Application = NonNullString(ref reader, "application"); break;
                case "enabled": e.Enabled = Bool(ref reader, "enabled"); break;
                case "running": e.Running = Bool(ref reader, "running"); break;
                case "actual": e.Actual = Enum<ActualState>(ref reader, "actual"); break;
                case "phase": e.Phase = Enum<ServicePhase>(ref reader, "phase"); break;
                case "restarts_10m": e.Restarts10m = Int(ref reader, "restarts_10m"); break;
                case "system_flags": e.SystemFlags = Strings(ref reader, "system_flags"); break;
                case "user_flags": e.UserFlags = Strings(ref reader, "user_flags"); break;
                case "pids": e.Pids = List(ref reader, "pids", (ref Utf8JsonReader r) => Int(ref r, "pids[]"), advance: false); break;
                case "pid_uptimes_ms": e.PidUptimesMs = List(ref reader, "pid_uptimes_ms", (ref Utf8JsonReader r) => Long(ref r, "pid_uptimes_ms[]"), advance: false); break;
                case "working_directory": e.WorkingDirectory = String(ref reader, "working_directory"); break;
                case "provisioning_marker": e.ProvisioningMarker = String(ref reader, "provisioning_marker"); break;
                case "provisioning_defined": e.ProvisioningDefined = Bool(ref reader, "provisioning_defined"); break;
                case "provisioning_marker_exists": e.ProvisioningMarkerExists = Bool(ref reader, "provisioning_marker_exists"); break;
                case "source_file": e.SourceFile = String(ref reader, "source_file"); break;
                case "last_run_at_ms": e.LastRunAtMs = NullableLong(ref reader, "last_run_at_ms"); break;
                case "last_exit_code": e.LastExitCode = NullableInt(ref reader, "last_exit_code"); break;
                case "schedule": e.Schedule = String(ref reader, "schedule"); break;
                case "schedule_not_before_ms": e.ScheduleNotBeforeMs = NullableLong(ref reader, "schedule_not_before_ms"); break;
                case "schedule_not_after_ms": e.ScheduleNotAfterMs = NullableLong(ref reader, "schedule_not_after_ms"); break;
                case "schedule_max_time_per_run_ms": e.ScheduleMaxTimePerRunMs = NullableLong(ref reader, "schedule_max_time_per_run_ms"); break;
                case "kind": e.Kind = Enum<ServiceKindName>(ref reader, "kind"); break;
                case "state": e.State = Enum<DetailedState>(ref reader, "state"); break;
                case "main_pid": e.MainPid = NullableInt(ref reader, "main_pid"); break;
                case "next_run_at_ms": e.NextRunAtMs = NullableLong(ref reader, "next_run_at_ms"); break;
                case "runs": e.Runs = List(ref reader, "runs", ReadRun, advance: false); break;
                case "detail": e.Detail = String(ref reader, "detail"); break;
                case "limit_problems": e.LimitProblems = Strings(ref reader, "limit_problems"); break;
                case "oom_kills": e.OomKills = NullableLong(ref reader, "oom_kills"); break;
                case "nr_throttled": e.NrThrottled = NullableLong(ref reader, "nr_throttled"); break;
                case "throttled_usec": e.ThrottledUsec = NullableLong(ref reader, "throttled_usec"); break;
                case "cpu_pressure_avg10": e.CpuPressureAvg10 = NullableDouble(ref reader, "cpu_pressure_avg10"); break;
                case "memory_pressure_avg10": e.MemoryPressureAvg10 = NullableDouble(ref reader, "memory_pressure_avg10"); break;
                case "io_pressure_avg10": e.IoPressureAvg10 = NullableDouble(ref reader, "io_pressure_avg10"); break;
                default: reader.Skip(); break;
            }
        }
        return e.Build(reader.BytesConsumed);
    }

    /// <summary>
    /// The index in <see cref="EntryNames"/> of the property name under the reader (<c>EntryNames.Length</c> when
    /// unknown). The daemon writes the members in this order, so the search starts at <paramref name="expected"/>
    /// (one after the last match) and usually ends there: one comparison per member instead of a scan from the top.
    /// </summary>
    private static int MemberIndex(ref Utf8JsonReader reader, int expected)
    {
        for (int i = 0; i < EntryNames.Length; i++)
        {
            int member = (expected + i) % EntryNames.Length;
            if (reader.ValueTextEquals(EntryNames[member])) return member;
        }
        return EntryNames.Length;
    }

    private static RunEntry ReadRun(ref Utf8JsonReader reader)
    {
        StartObject(ref reader, "runs[]");
        long started = 0, ended = 0, duration = 0;
        string? result = null, detail = null;
        int? exitCode = null, signal = null;
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("started_at_ms"u8)) started = Long(ref Advanced(ref reader), "runs[].started_at_ms");
            else if (reader.ValueTextEquals("ended_at_ms"u8)) ended = Long(ref Advanced(ref reader), "runs[].ended_at_ms");
            else if (reader.ValueTextEquals("duration_ms"u8)) duration = Long(ref Advanced(ref reader), "runs[].duration_ms");
            else if (reader.ValueTextEquals("result"u8)) result = NonNullString(ref Advanced(ref reader), "runs[].result");
            else if (reader.ValueTextEquals("exit_code"u8)) exitCode = NullableInt(ref Advanced(ref reader), "runs[].exit_code");
            else if (reader.ValueTextEquals("signal"u8)) signal = NullableInt(ref Advanced(ref reader), "runs[].signal");
            else if (reader.ValueTextEquals("detail"u8)) detail = String(ref Advanced(ref reader), "runs[].detail");
            else Skip(ref reader);
        }
        return new RunEntry
        {
            StartedAtMs = started, EndedAtMs = ended, DurationMs = duration, ExitCode = exitCode, Signal = signal, Detail = detail,
            Result = result ?? throw new JsonException($"runs[] lacks result (before byte {reader.BytesConsumed})"),
        };
    }

    private delegate T ItemReader<out T>(ref Utf8JsonReader reader);

    /// <summary>An array (never null) of items; the reader stands on the member name (or, with advance false, on the value).</summary>
    private static List<T> List<T>(ref Utf8JsonReader reader, string member, ItemReader<T> item, bool advance = true)
    {
        if (advance) Advance(ref reader);
        if (reader.TokenType != JsonTokenType.StartArray) throw Unexpected(ref reader, member, "an array");
        var items = new List<T>();
        while (true)
        {
            Advance(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray) return items;
            items.Add(item(ref reader));
        }
    }

    /// <summary>A list of strings; as in the context, an element may be null (only the list itself may not).</summary>
    private static List<string> Strings(ref Utf8JsonReader reader, string member) =>
        List(ref reader, member, (ref Utf8JsonReader r) => String(ref r, member + "[]")!, advance: false);

    private static void StartObject(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Unexpected(ref reader, what, "an object");
    }

    /// <summary>Moves to the next member name; false at the object's end.</summary>
    private static bool NextMember(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    private static void Skip(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        reader.Skip();
    }

    private static ref Utf8JsonReader Advanced(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return ref reader;
    }

    private static void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException($"the result ends inside a value (byte {reader.BytesConsumed})");
    }

    private static string NonNullString(ref Utf8JsonReader reader, string member) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Unexpected(ref reader, member, "a string");

    private static string? String(ref Utf8JsonReader reader, string member) =>
        reader.TokenType == JsonTokenType.Null ? null : NonNullString(ref reader, member);

    private static bool Bool(ref Utf8JsonReader reader, string member) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Unexpected(ref reader, member, "a boolean"),
    };

    private static int Int(ref Utf8JsonReader reader, string member) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value) ? value : throw Unexpected(ref reader, member, "an integer (32 bits)");

    private static long Long(ref Utf8JsonReader reader, string member) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value) ? value : throw Unexpected(ref reader, member, "an integer (64 bits)");

    private static int? NullableInt(ref Utf8JsonReader reader, string member) => reader.TokenType == JsonTokenType.Null ? null : Int(ref reader, member);

    private static long? NullableLong(ref Utf8JsonReader reader, string member) => reader.TokenType == JsonTokenType.Null ? null : Long(ref reader, member);

    private static double? NullableDouble(ref Utf8JsonReader reader, string member) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number when reader.TryGetDouble(out double value) => value,
            _ => throw Unexpected(ref reader, member, "a number"),
        };

    /// <summary>An enum member by name, in any case (as the context's string-enum converters read them); numbers are refused.</summary>
    private static T Enum<T>(ref Utf8JsonReader reader, string member) where T : struct, Enum
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            for (int i = 0; i < EnumNames<T>.Upper.Length; i++)
                if (reader.ValueTextEquals(EnumNames<T>.Upper[i]) || reader.ValueTextEquals(EnumNames<T>.Lower[i])) return EnumNames<T>.Values[i];
            string text = reader.GetString()!;
            for (int i = 0; i < EnumNames<T>.Values.Length; i++)
                if (string.Equals(EnumNames<T>.Values[i].ToString(), text, StringComparison.OrdinalIgnoreCase)) return EnumNames<T>.Values[i];
            throw new JsonException($"{member} is \"{text}\", not one of {string.Join(", ", EnumNames<T>.Values)} (byte {reader.TokenStartIndex})");
        }
        throw Unexpected(ref reader, member, "a string");
    }

    private static JsonException Unexpected(ref Utf8JsonReader reader, string member, string expected) =>
        new($"{member} is {ReplyLine.Describe(reader.TokenType)}, not {expected} (byte {reader.TokenStartIndex})");

    /// <summary>An enum's members and their names as the daemon writes them (upper or lower case: the names are single words).</summary>
    private static class EnumNames<T> where T : struct, Enum
    {
        public static readonly T[] Values = System.Enum.GetValues<T>();
        public static readonly string[] Upper = [.. Values.Select(v => v.ToString().ToUpperInvariant())];
        public static readonly string[] Lower = [.. Values.Select(v => v.ToString().ToLowerInvariant())];
    }

    /// <summary>The members of one entry as read, until the entry is complete.</summary>
    private sealed class Entry
    {
        public string? Application;
        public bool Enabled, Running, ProvisioningDefined, ProvisioningMarkerExists;
        public ActualState Actual;
        public ServicePhase Phase;
        public int Restarts10m;
        public IReadOnlyList<string> SystemFlags = [], UserFlags = [], LimitProblems = [];
        public IReadOnlyList<int> Pids = [];
        public IReadOnlyList<long> PidUptimesMs = [];
        public string? WorkingDirectory, ProvisioningMarker, SourceFile, Schedule, Detail;
        public long? LastRunAtMs, ScheduleNotBeforeMs, ScheduleNotAfterMs, ScheduleMaxTimePerRunMs, NextRunAtMs, OomKills, NrThrottled, ThrottledUsec;
        public int? LastExitCode, MainPid;
        public ServiceKindName Kind;
        public DetailedState State;
        public IReadOnlyList<RunEntry> Runs = [];
        public double? CpuPressureAvg10, MemoryPressureAvg10, IoPressureAvg10;

        public StatusEntry Build(long position) => new()
        {
            Application = Application ?? throw new JsonException($"statuses[] lacks application (before byte {position})"),
            Enabled = Enabled, Running = Running, Actual = Actual, Phase = Phase, Restarts10m = Restarts10m,
            SystemFlags = SystemFlags, UserFlags = UserFlags, Pids = Pids, PidUptimesMs = PidUptimesMs,
            WorkingDirectory = WorkingDirectory, ProvisioningMarker = ProvisioningMarker, ProvisioningDefined = ProvisioningDefined,
            ProvisioningMarkerExists = ProvisioningMarkerExists, SourceFile = SourceFile, LastRunAtMs = LastRunAtMs,
            LastExitCode = LastExitCode, Schedule = Schedule, ScheduleNotBeforeMs = ScheduleNotBeforeMs,
            ScheduleNotAfterMs = ScheduleNotAfterMs, ScheduleMaxTimePerRunMs = ScheduleMaxTimePerRunMs, Kind = Kind, State = State,
            MainPid = MainPid, NextRunAtMs = NextRunAtMs, Runs = Runs, Detail = Detail, LimitProblems = LimitProblems,
            OomKills = OomKills, NrThrottled = NrThrottled, ThrottledUsec = ThrottledUsec, CpuPressureAvg10 = CpuPressureAvg10,
            MemoryPressureAvg10 = MemoryPressureAvg10, IoPressureAvg10 = IoPressureAvg10,
        };
    }
}
