using System.CommandLine;
using ProcessMaster.Daemon.Hosting;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Signals;

// The daemon's composition root. Before anything else: nothing the daemon creates is readable by group or others
// unless it sets a mode itself (services get their own umask, process.umask), and SIGCHLD must not be ignored, or
// the kernel would reap the children whose exit the daemon collects itself (pidfd + waitid). No signal may stay blocked
// from whoever started the daemon (a blocked SIGHUP would make every reload a silent no-op; docs/signals.md).
FileCreationMask.Set(FileCreationMask.Daemon);
ProcessSignals.RestoreChildSignal();
ProcessSignals.UnblockAll();

ParseResult parsed = DaemonCommandLine.Build(DaemonHost.Run).Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"processmaster: {error.Message}");
    Console.Error.WriteLine("Try 'processmaster --help'.");
    return 2;
}
return parsed.Invoke();
