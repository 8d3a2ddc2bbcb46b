using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Hosting;
using ProcessMaster.Linux.Definitions;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Daemon.Checking;

/// <summary>
/// <c>processmaster --check -c FILE</c>: loads the master configuration and every service definition,
/// prints every problem (file:line:column: key: what is wrong; how to fix it) and a one-line summary.
/// Writes nothing. Exit 0 only when there is no problem. Control characters from the files are shown escaped.
/// </summary>
internal static class ConfigCheck
{
    /// <summary>Runs the check and returns the process exit code.</summary>
    public static int Run(string configPath, TextWriter output, TextWriter errors)
    {
        MasterConfigLoad master = MasterConfigLoad.FromFile(configPath);
        foreach (ConfigError problem in master.Errors) errors.WriteLine(TerminalText.EscapeLines(problem.ToString()));
        if (master.Config is not { } config)
        {
            errors.WriteLine($"check: FAILED: {Count(master.Errors.Count, "problem")} in {configPath}; service definitions not checked until it loads");
            return 1;
        }

        DiscoveredDefinitions definitions = DefinitionDiscovery.Load(master.DiscoveryOptions(dryRun: true));
        foreach (ConfigError problem in definitions.Problems) errors.WriteLine(TerminalText.EscapeLines(problem.ToString()));
        foreach (string note in definitions.Notes) output.WriteLine($"note: {TerminalText.EscapeLines(note)}");

        int problems = master.Errors.Count + definitions.Problems.Count;
        int jobs = definitions.Definitions.Count(d => d.Kind is ServiceKind.Job);
        string summary = $"{configPath}: {Count(definitions.Definitions.Count - jobs, "service")} and {Count(jobs, "cron job")} loaded" +
                         (config.Global.AutoServiceDirectory is null ? "" : " (config directory and auto-services)");
        if (problems == 0)
        {
            output.WriteLine($"check: OK: {summary}");
            return 0;
        }
        errors.WriteLine($"check: FAILED: {Count(problems, "problem")}; {summary}");
        return 1;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
