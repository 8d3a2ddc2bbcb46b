using System.CommandLine;
using ProcessMaster.Daemon.Hosting;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Signals;

// The daemon's composition root. Before anything else: nothing the daemon creates is readable by group or others
// unless it sets a mode itself (services get their own umask, process.umask). SIGCHLD must not be ignored, or the
// kernel would reap the children whose exit the daemon collects itself (pidfd + waitid); SIGHUP, SIGUSR1 and SIGTERM
// must not stay ignored (nohup) nor any signal blocked from whoever started the daemon, or a reload would be a silent
// no-op (docs/signals.md).
FileCreationMask.Set(FileCreationMask.Daemon);
ProcessSignals.RestoreIgnored();
ProcessSignals.UnblockAll();

ParseResult parsed = DaemonCommandLine.Build(DaemonHost.Run).Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"processmaster: {error.Message}");
    Console.Error.WriteLine("Try 'processmaster --help'.");
    return 2;
}
return parsed.Invoke();
