namespace ProcessMaster.Protocol.Methods;

/// <summary>Result of <c>metrics</c>: the Prometheus text exposition (format 0.0.4), as <c>/metrics</c> serves it.</summary>
public sealed record MetricsResult
{
    /// <summary>The exposition text, one sample per line, ending with a newline.</summary>
    public required string Text { get; init; }
}
