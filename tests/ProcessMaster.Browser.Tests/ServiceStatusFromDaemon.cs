using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Browser.Tests;

/// <summary>The daemon's own view of a service (through the real pmctl), to check what the page showed.</summary>
internal static class ServiceStatusFromDaemon
{
    public const string Stopped = "STOPPED";

    public static async Task<string> OfAsync(DaemonInstance daemon, string name)
    {
        CommandResult result = await daemon.PmctlAsync("status", name, "--format", "json");
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("statuses")[0].GetProperty("phase").GetString()!;
    }
}
