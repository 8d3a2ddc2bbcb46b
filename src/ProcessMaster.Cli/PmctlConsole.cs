namespace ProcessMaster.Cli;

/// <summary>
/// pmctl's view of its process: the streams and the environment. The real one wraps fd 0/1/2 (stdout raises
/// <see cref="StdoutClosedException"/> on EPIPE so <c>pmctl logs -f | head</c> ends quietly); tests pass string writers.
/// </summary>
internal sealed record PmctlConsole(TextWriter Out, TextWriter Error, TextReader In, bool InputIsTerminal, Func<string, string?> Environment)
{
    /// <summary>Reads a secret from the terminal without echo (null when there is no terminal).</summary>
    public Func<string?>? ReadSecret { get; init; }

    private TimeZoneInfo? _zone;

    /// <summary>Zone for local times in text output (the machine's, read from /etc/localtime on first use; tests pin UTC).</summary>
    public TimeZoneInfo Zone
    {
        get => _zone ??= TimeZoneInfo.Local;
        init => _zone = value;
    }

    /// <summary>The process's own streams.</summary>
    public static PmctlConsole FromProcess()
    {
        var stdout = new StreamWriter(new StdoutStream(), new System.Text.UTF8Encoding(false), 16 * 1024) { AutoFlush = true };
        // Console.In sets up the terminal (terminfo, signal handlers, a thread): only `pmctl password` reads stdin.
        return new PmctlConsole(stdout, Console.Error, new DeferredReader(() => Console.In), !Console.IsInputRedirected, System.Environment.GetEnvironmentVariable)
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

/// <summary>A reader opened on first use.</summary>
internal sealed class DeferredReader(Func<TextReader> open) : TextReader
{
    private TextReader? _reader;

    private TextReader Reader => _reader ??= open();

    public override int Peek() => Reader.Peek();

    public override int Read() => Reader.Read();

    public override int Read(char[] buffer, int index, int count) => Reader.Read(buffer, index, count);

    public override string? ReadLine() => Reader.ReadLine();

    public override string ReadToEnd() => Reader.ReadToEnd();
}
