using System.Text.Json.Serialization.Metadata;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// What a method returned: the result object with the type info that serializes it (source-generated, AOT-clean),
/// and for <c>logs_follow</c> the session whose lines follow the reply.
/// </summary>
internal sealed class RpcOutcome
{
    private RpcOutcome(object value, JsonTypeInfo typeInfo, LogFollowSession? follow)
    {
        Value = value;
        TypeInfo = typeInfo;
        Follow = follow;
    }

    /// <summary>The result object.</summary>
    public object Value { get; }

    /// <summary>Serializes <see cref="Value"/>.</summary>
    public JsonTypeInfo TypeInfo { get; }

    /// <summary>Set only for <c>logs_follow</c>.</summary>
    public LogFollowSession? Follow { get; }

    /// <summary>A plain result.</summary>
    public static RpcOutcome Of<T>(T value, JsonTypeInfo<T> typeInfo) where T : class => new(value, typeInfo, null);

    /// <summary>A <c>logs_follow</c> result with its session.</summary>
    public static RpcOutcome Following(LogFollowSession session) =>
        new(session.Backlog, Protocol.ProtocolJsonContext.Default.LogsFollowResult, session);
}
