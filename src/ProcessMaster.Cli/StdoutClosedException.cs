namespace ProcessMaster.Cli;

/// <summary>Whoever read pmctl's stdout has gone (EPIPE): pmctl stops quietly with exit code 0.</summary>
internal sealed class StdoutClosedException : IOException
{
    public StdoutClosedException(IOException inner) : base("stdout was closed", inner) { }
}
