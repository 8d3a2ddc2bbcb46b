namespace ProcessMaster.Cli;

/// <summary>A failure pmctl reports as <c>Error: MESSAGE</c> on stderr with exit code 1.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, Exception? inner = null) : base(message, inner) { }
}
