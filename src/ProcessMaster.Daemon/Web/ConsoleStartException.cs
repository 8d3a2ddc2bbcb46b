namespace ProcessMaster.Daemon.Web;

/// <summary>The web console cannot serve; the message says why and what to do. The daemon keeps supervising.</summary>
internal sealed class ConsoleStartException(string message) : Exception(message);
