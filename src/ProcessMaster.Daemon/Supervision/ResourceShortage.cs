using System.Net.Sockets;
using ProcessMaster.Linux;

namespace ProcessMaster.Daemon.Supervision;

/// <summary>
/// Tells a failure for want of a resource (descriptors, kernel memory), which passes, from a bug, which does not: the
/// supervision loop survives the first (audit N-17) and stops the daemon on the second.
/// </summary>
internal static class ResourceShortage
{
    private const int ENOMEM = 12, ENFILE = 23, EMFILE = 24;

    /// <summary>The errno name when <paramref name="e"/> (or an inner exception) is such a failure; else null.</summary>
    public static string? Of(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case LinuxException l when l.Errno is Errno.EMFILE or Errno.ENFILE or Errno.ENOMEM:
                    return l.Errno.ToString();
                case SocketException s when s.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable:
                    return "EMFILE";
                case IOException io when io.HResult is EMFILE or ENFILE or ENOMEM:
                    return io.HResult switch { EMFILE => "EMFILE", ENFILE => "ENFILE", _ => "ENOMEM" };
                case IOException io when io.Message.Contains("Too many open files", StringComparison.Ordinal):
                    return "EMFILE";
            }
        }
        return null;
    }
}
