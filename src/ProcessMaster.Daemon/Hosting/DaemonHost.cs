using ProcessMaster.Protocol;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>Runs the daemon for one master configuration.</summary>
internal static class DaemonHost
{
    public static int Run(string configPath)
    {
        Console.WriteLine(BuildInfo.Banner);
        return 0;
    }
}
