using ProcessMaster.Cli;

// pmctl: the command-line client of the processmaster daemon. The command tree is in Pmctl.cs, each verb in
// Commands/<Verb>Command.cs.
PmctlConsole console = PmctlConsole.FromProcess();
try
{
    return await Pmctl.RunAsync(args, console).ConfigureAwait(false);
}
finally
{
    try
    {
        // Synchronously: Stream.FlushAsync runs Flush on the thread pool, and a local command (version, help)
        // would start the pool only for that.
        console.Out.Flush();
    }
    catch (StdoutClosedException)
    {
        // The reader left; nothing to flush to.
    }
}
