namespace ProcessMaster.Cli;

/// <summary>
/// pmctl's view of its process: the streams and the environment. The real one wraps fd 0/1/2 (stdout raises
/// <see cref="StdoutClosedException"/> on EPIPE so <c>pmctl logs -f | head</c> ends quietly); tests pass string writers.
/// </summary>
internal sealed record PmctlConsole(TextWriter Out, TextWriter Error, TextReader In, bool InputIsTerminal, Func<string, string?> Environment)
{
    /// <summary>Reads a secret from the terminal without echo (null when there is no terminal).</summary>
    public Func<string?>? ReadSecret { get; init; }

    /// <summary>Zone for local times in text output (the machine's; tests pin UTC).</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Local;

    /// <summary>The process's own streams.</summary>
    public static PmctlConsole FromProcess()
    {
        var stdout = new StreamWriter(new StdoutStream(), new System.Text.UTF8Encoding(false), 16 * 1024) { AutoFlush = true };
        return new PmctlConsole(stdout, Console.Error, Console.In, !Console.IsInputRedirected, System.Environment.GetEnvironmentVariable)
        {
            ReadSecret = Console.IsInputRedirected ? null : ReadHidden,
        };
    }

    private static string? ReadHidden()
    {
        var text = new System.Text.StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) return text.ToString();
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
                continue;
            }
            if (key.KeyChar != '\0') text.Append(key.KeyChar);
        }
    }
}
