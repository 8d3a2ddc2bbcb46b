using ProcessMaster.Core.Config;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Hosting;
using ProcessMaster.Linux.Credentials;
using ProcessMaster.Linux.Definitions;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Daemon.Checking;

/// <summary>
/// <c>processmaster --check -c FILE</c>: loads the master configuration and every service definition,
/// prints every problem (file:line:column: key: what is wrong; how to fix it) and a one-line summary.
/// Writes nothing; control characters from the files are shown escaped. Exit 0 only when there is no problem. What the daemon would refuse at start (an unknown
/// account, <c>global.user</c>) is a problem here too; definitions are checked even when the master
/// configuration has problems, as long as those do not concern where the definitions are.
/// </summary>
internal static class ConfigCheck
{
    /// <summary>Runs the check and returns the process exit code.</summary>
    public static int Run(string configPath, TextWriter output, TextWriter errors)
    {
        MasterConfigLoad master = MasterConfigLoad.FromFile(configPath);
        var problems = new List<ConfigError>(master.Errors);
        // The same start-up checks the daemon runs (global.user, admin actions, socket, console, state directory),
        // on the configuration as far as it could be read.
        StartupPlan? plan = (master.Config ?? master.Partial) is { } read ? StartupChecks.Plan(read, DaemonIdentity.Current()) : null;
        if (plan is not null) problems.AddRange(plan.Problems);
        foreach (ConfigError problem in problems) errors.WriteLine(TerminalText.EscapeLines(problem.ToString()));

        if (master.CheckOptions() is not { } options)
        {
            errors.WriteLine($"check: FAILED: {Count(problems.Count, "problem")} in {configPath}; service definitions not checked until it says where they are");
            return 1;
        }

        // Definitions judged as the daemon will judge them: by the identity it will have once started (after global.user).
        DiscoveredDefinitions definitions = DefinitionDiscovery.LoadAndProvision(plan is null ? options : options with { Identity = plan.Identity });
        foreach (ConfigError problem in definitions.Problems) errors.WriteLine(TerminalText.EscapeLines(problem.ToString()));
        foreach (string note in definitions.Notes) output.WriteLine($"note: {TerminalText.EscapeLines(note)}");

        int total = problems.Count + definitions.Problems.Count;
        int jobs = definitions.Definitions.Count(d => d.RunMode is RunMode.Job);
        string summary = $"{configPath}: {Count(definitions.Definitions.Count - jobs, "service")} and {Count(jobs, "cron job")} loaded" +
                         (options.AutoServiceDirectory is null ? "" : " (config directory and auto-services)");
        if (total == 0)
        {
            output.WriteLine($"check: OK: {summary}");
            return 0;
        }
        errors.WriteLine($"check: FAILED: {Count(total, "problem")}; {summary}");
        return 1;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
