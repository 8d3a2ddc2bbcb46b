using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Rpc;
using ProcessMaster.Daemon.Web.Feeds;

namespace ProcessMaster.Daemon.Web;

/// <summary>What the console's endpoints work with: the same method table as the unix socket, the journal and the live feeds.</summary>
internal sealed class ConsoleServices(RpcMethods methods, EventJournal journal, StatusFeed status, UsageSampler usage, Broadcast<DaemonEvent> events, bool tls)
{
    public RpcMethods Methods { get; } = methods;

    public EventJournal Journal { get; } = journal;

    public StatusFeed Status { get; } = status;

    public UsageSampler Usage { get; } = usage;

    public Broadcast<DaemonEvent> Events { get; } = events;

    /// <summary>The console is served over TLS (cookies get <c>Secure</c>).</summary>
    public bool Tls { get; } = tls;

    /// <summary>Cancelled when the console stops: ends every open stream.</summary>
    public CancellationTokenSource Stopping { get; } = new();
}
