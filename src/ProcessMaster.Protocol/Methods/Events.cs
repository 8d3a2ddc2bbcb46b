using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol.Methods;

/// <summary>Params of <c>events</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EventsParams
{
    /// <summary>Only events of this service (exact match); null = all.</summary>
    public string? Name { get; init; }
    /// <summary>How many of the most recent events (0..2000; default 200).</summary>
    public int N { get; set; } = 200;
}

/// <summary>Result of <c>events</c>.</summary>
public sealed record EventsResult
{
    /// <summary>Oldest first.</summary>
    public IReadOnlyList<EventEntry> Events { get; set; } = [];
}

/// <summary>One daemon event. <c>ts</c>, <c>component</c>, <c>app</c>, <c>message</c> are the original's.</summary>
public sealed record EventEntry
{
    /// <summary>Daemon-local time, <c>yyyy-MM-dd_HH:mm:ss.fff</c>.</summary>
    public required string Ts { get; init; }
    /// <summary>Which part decided: <c>cmd</c>, <c>state</c>, <c>flag</c>, <c>schedule</c>, ...</summary>
    public required string Component { get; init; }
    /// <summary>The service, or null for the daemon itself.</summary>
    public string? App { get; init; }
    /// <summary>What happened.</summary>
    public required string Message { get; init; }
    /// <summary>New: monotonic sequence number.</summary>
    public long Seq { get; init; }
    /// <summary>New: the same instant as <see cref="Ts"/>, epoch ms (UTC).</summary>
    public long TimeMs { get; init; }
}
