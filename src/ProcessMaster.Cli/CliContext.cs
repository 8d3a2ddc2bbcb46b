using System.CommandLine;
using System.Globalization;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Cli;

/// <summary>What every command needs: the console, the global options, and the way to reach the daemon.</summary>
internal sealed class CliContext
{
    /// <summary>The environment variable with the reply timeout in seconds.</summary>
    public const string TimeoutVariable = "PMCTL_TIMEOUT";

    public CliContext(PmctlConsole console)
    {
        Console = console;
    }

    public PmctlConsole Console { get; }

    public GlobalOptions Options { get; } = new();

    /// <summary>Writes <c>Error: MESSAGE</c> to stderr (control characters escaped) and returns exit code 1.</summary>
    public int Fail(string message)
    {
        Console.Error.WriteLine($"Error: {TerminalText.EscapeLines(message)}");
        return 1;
    }

    /// <summary>
    /// Locates the socket, connects, queues the handshake (it travels with the first call), runs <paramref name="body"/>, and turns every failure into
    /// <c>Error: ...</c> with exit code 1.
    /// </summary>
    public async Task<int> RemoteAsync(ParseResult parsed, Func<RpcClient, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            string path = SocketLocator.Locate(parsed.GetValue(Options.Sock), parsed.GetValue(Options.Config), Console.Environment);
            await using RpcClient client = await RpcClient.ConnectAsync(path, ClientOptions(parsed), cancellationToken).ConfigureAwait(false);
            client.QueueHandshake();
            return await body(client, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            return Fail(e.Message);
        }
        catch (RpcCallException e)
        {
            return Fail(e.Code == RpcErrorCodes.InternalError ? $"the daemon failed: {e.Message}" : e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
    }

    /// <summary>Prints a daemon message (one or more lines, control characters escaped) with trailing whitespace trimmed; nothing when blank.</summary>
    public void PrintMessage(string? message)
    {
        string text = TerminalText.EscapeLines((message ?? "").TrimEnd());
        if (text.Length > 0) Console.Out.WriteLine(text);
    }

    /// <summary>Trust and timeouts from <c>--daemon-uid</c>/<c>PMCTL_DAEMON_UID</c> and <c>--timeout</c>/<c>PMCTL_TIMEOUT</c>.</summary>
    public RpcClientOptions ClientOptions(ParseResult parsed)
    {
        int? daemonUid = parsed.GetValue(Options.DaemonUid);
        if (daemonUid is null && Console.Environment(PeerTrust.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            daemonUid = PeerTrust.ParseUid(fromEnvironment, PeerTrust.EnvironmentVariable);
        double? seconds = parsed.GetValue(Options.Timeout);
        if (seconds is null && Console.Environment(TimeoutVariable) is { Length: > 0 } timeoutText)
        {
            seconds = double.TryParse(timeoutText, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsedSeconds)
                ? parsedSeconds
                : throw new CliException($"{TimeoutVariable}: \"{timeoutText}\" is not a number of seconds; e.g. {TimeoutVariable}=60");
        }
        if (seconds is <= 0 or > 86_400 || (seconds is { } s && double.IsNaN(s)))
            throw new CliException($"--timeout: {seconds} is not between 0 and 86400 seconds; give the seconds to wait for each reply, e.g. --timeout 60");
        return new RpcClientOptions
        {
            Trust = new PeerTrust(PeerTrust.ReadOwnUid(), daemonUid),
            Timeout = seconds is { } t ? TimeSpan.FromSeconds(t) : null,
        };
    }
}
