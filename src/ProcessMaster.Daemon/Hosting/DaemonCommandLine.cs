using System.CommandLine;
using System.CommandLine.Invocation;
using ProcessMaster.Daemon.Checking;
using ProcessMaster.Protocol;

namespace ProcessMaster.Daemon.Hosting;

/// <summary>The <c>processmaster</c> command line: run the daemon, or check a configuration.</summary>
internal static class DaemonCommandLine
{
    public static RootCommand Build(Func<string, FaultInjection, int> runDaemon)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The master configuration file.",
            DefaultValueFactory = _ => "config.yaml",
            HelpName = "FILE",
        };
        var check = new Option<bool>("--check")
        {
            Description = "Validate the master configuration and every service definition, print every problem " +
                          "(file:line:column, what is wrong, how to fix it), and exit: 0 when there is none, 1 otherwise. " +
                          "Writes nothing and starts nothing.",
        };
        // Hidden, test-only (tests/vm): honoured only under processmaster.fault_injection=1 on the kernel command line.
        var skipLimit = new Option<string[]>("--fault-inject-skip-limit")
        {
            Hidden = true,
            Description = "Test-only: never write this limit file (needs processmaster.fault_injection=1 on the kernel command line).",
            HelpName = "FILE",
        };
        var root = new RootCommand(
            "processmaster: a supervisor for services and cron jobs, each in its own cgroup v2.\n\n" +
            "  processmaster -c /etc/processmaster/config.yaml           run the daemon\n" +
            "  processmaster --check -c /etc/processmaster/config.yaml   validate the configuration\n\n" +
            "The daemon serves JSON-RPC on unix_socket.path; use pmctl to talk to it.");
        root.Options.Add(config);
        root.Options.Add(check);
        root.Options.Add(skipLimit);
        foreach (VersionOption version in root.Options.OfType<VersionOption>())
        {
            version.Description = "Print the build stamp (which pmctl must share) and exit.";
            version.Action = new PrintBanner();
        }
        root.SetAction(parsed =>
        {
            string path = parsed.GetValue(config)!;
            if (parsed.GetValue(check)) return ConfigCheck.Run(path, Console.Out, Console.Error);
            string[] skipped = parsed.GetValue(skipLimit) ?? [];
            string kernel = skipped.Length == 0 ? "" : File.ReadAllText(FaultInjection.KernelCommandLinePath);
            if (!FaultInjection.TryCreate(skipped, kernel, out FaultInjection faults, out string error))
            {
                Console.Error.WriteLine($"processmaster: {error}");
                return 2;
            }
            return runDaemon(path, faults);
        });
        return root;
    }

    private sealed class PrintBanner : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(BuildInfo.Banner);
            return 0;
        }
    }
}
