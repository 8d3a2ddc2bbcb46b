using System.CommandLine;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol.JsonRpc;

namespace ProcessMaster.Cli;

/// <summary>What every command needs: the console, the global options, and the way to reach the daemon.</summary>
internal sealed class CliContext
{
    public CliContext(PmctlConsole console)
    {
        Console = console;
    }

    public PmctlConsole Console { get; }

    public GlobalOptions Options { get; } = new();

    /// <summary>Writes <c>Error: MESSAGE</c> to stderr and returns exit code 1.</summary>
    public int Fail(string message)
    {
        Console.Error.WriteLine($"Error: {message}");
        return 1;
    }

    /// <summary>
    /// Locates the socket, connects, handshakes, runs <paramref name="body"/>, and turns every failure into
    /// <c>Error: ...</c> with exit code 1.
    /// </summary>
    public async Task<int> RemoteAsync(ParseResult parsed, Func<RpcClient, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            string path = SocketLocator.Locate(parsed.GetValue(Options.Sock), parsed.GetValue(Options.Config), Console.Environment);
            await using RpcClient client = await RpcClient.ConnectAsync(path, cancellationToken).ConfigureAwait(false);
            await client.HandshakeAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>Prints a message with trailing whitespace trimmed; nothing when blank.</summary>
    public void PrintMessage(string? message)
    {
        string text = (message ?? "").TrimEnd();
        if (text.Length > 0) Console.Out.WriteLine(text);
    }
}
