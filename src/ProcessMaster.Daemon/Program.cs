using System.CommandLine;
using ProcessMaster.Daemon.Hosting;
using ProcessMaster.Linux.Spawn;

// The daemon's composition root. `__spawn` is the spawn shim (see ProcessMaster.Linux/Spawn): the daemon
// re-executes itself in that mode to place a child in its cgroup and drop privileges before exec.
if (args.Length > 0 && args[0] == SpawnShim.Verb) return SpawnShim.Run(args);

ParseResult parsed = DaemonCommandLine.Build(DaemonHost.Run).Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"processmaster: {error.Message}");
    Console.Error.WriteLine("Try 'processmaster --help'.");
    return 2;
}
return parsed.Invoke();
