using System.CommandLine;
using System.Text.Json;
using ProcessMaster.Cli.Rendering;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;
using ProcessMaster.Protocol.Text;

namespace ProcessMaster.Cli.Commands;

/// <summary>
/// <c>pmctl logs NAME [-n N]</c> and <c>pmctl logs -f [NAME|FILENAME] [--file FILENAME]</c>. With <c>-f</c> the one
/// argument is a service when one has that name, else a log file name followed in every service (the seed's
/// <c>logs -f [filename]</c>): <c>pmctl logs -f web</c>, <c>pmctl logs -f stderr.log</c>.
/// </summary>
internal static class LogsCommand
{
    /// <summary>The original's text when neither a name nor -f is given.</summary>
    public const string NameRequired = "pmctl logs requires an app name, or use `pmctl logs -f [filename]`";

    public static Command Build(CliContext ctx)
    {
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "The service. With -f: a service, or else a log file name (e.g. stderr.log) followed in every service; none: all services." };
        var count = new Option<int>("-n") { Description = "Last lines per file (0..10000).", DefaultValueFactory = _ => 50, HelpName = "N" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines as PATH: LINE until interrupted." };
        var file = new Option<string?>("--file") { Description = "With -f: only files with this base name (e.g. stderr.log).", HelpName = "FILENAME" };
        var raw = new Option<bool>("--raw") { Description = "Print lines as the service wrote them (by default control characters other than tab are shown escaped, e.g. \\x1b)." };
        var command = new Command("logs", CommandText.Describe(
            "Print the last lines of a service's log files (stdout, stderr, hints), or follow them.",
            "pmctl logs web", "pmctl logs web -n 200", "pmctl logs -f", "pmctl logs -f web", "pmctl logs -f stderr.log",
            "pmctl logs -f web --file stderr.log", "pmctl logs -f | grep ERROR"))
        {
            name,
            count,
            follow,
            file,
            raw,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(file) is not null && !result.GetValue(follow)) result.AddError("--file applies only with -f/--follow");
        });
        command.SetAction((parsed, ct) =>
        {
            string? target = string.IsNullOrWhiteSpace(parsed.GetValue(name)) ? null : parsed.GetValue(name);
            int lines = parsed.GetValue(count);
            bool asWritten = parsed.GetValue(raw);
            if (parsed.GetValue(follow))
            {
                string? only = string.IsNullOrWhiteSpace(parsed.GetValue(file)) ? null : parsed.GetValue(file);
                return ctx.RemoteAsync(parsed, (client, ct) => FollowAsync(ctx, client, target, only, lines, asWritten, ct), ct);
            }
            if (target is null) return Task.FromResult(ctx.Fail(NameRequired));
            return ctx.RemoteAsync(parsed, async (client, ct) =>
            {
                LogsResult result = await client.CallAsync(RpcMethodNames.Logs, new LogsParams { Name = target, N = lines },
                    ProtocolJsonContext.Default.LogsParams, ProtocolJsonContext.Default.LogsResult, ct).ConfigureAwait(false);
                // Already escaped (unless --raw) line by line; tabs stay.
                ctx.Console.Out.WriteLine(result.Files.Count == 0 ? $"{target}: no log files found" : LogText.Tails(result.Files, asWritten).TrimEnd('\n'));
                return 0;
            }, ct);
        });
        return command;
    }

    private static async Task<int> FollowAsync(CliContext ctx, RpcClient client, string? target, string? file, int lines, bool raw, CancellationToken ct)
    {
        LogsFollowParams request = new() { Name = target, File = file, N = lines };
        LogsFollowResult backlog;
        if (target is not null && file is null && !ServiceNameGrammar.IsValid(target))
        {
            backlog = await FollowFileAsync(client, target, lines, ct).ConfigureAwait(false);
            request = new() { File = target, N = lines };
        }
        else
        {
            try
            {
                backlog = await CallFollowAsync(client, request, ct).ConfigureAwait(false);
            }
            catch (RpcCallException e) when (e.Code == RpcErrorCodes.UnknownService && file is null)
            {
                // Not a service: the seed's `logs -f [filename]`.
                backlog = await FollowFileAsync(client, target!, lines, ct).ConfigureAwait(false);
                request = new() { File = target, N = lines };
            }
        }
        if (backlog.Files.Count == 0)
        {
            ctx.Console.Out.WriteLine(request.File is null ? "no log files found" : TerminalText.Escape($"no log files found matching filename {request.File}"));
            return 0;
        }
        ctx.Console.Out.Write(LogText.Tails(backlog.Files, raw));
        return await PrintLiveAsync(ctx, client, raw, ct).ConfigureAwait(false);
    }

    private static async Task<LogsFollowResult> FollowFileAsync(RpcClient client, string fileName, int lines, CancellationToken ct)
    {
        try
        {
            return await CallFollowAsync(client, new LogsFollowParams { File = fileName, N = lines }, ct).ConfigureAwait(false);
        }
        catch (RpcCallException e) when (e.Code is RpcErrorCodes.Refused or RpcErrorCodes.InvalidParams)
        {
            throw new CliException($"\"{fileName}\" is neither a service nor the name of a log file the services write ({e.Message}); " +
                                   "`pmctl status` lists the services; log file names are e.g. stdout.log, stderr.log");
        }
    }

    private static Task<LogsFollowResult> CallFollowAsync(RpcClient client, LogsFollowParams request, CancellationToken ct) =>
        client.CallAsync(RpcMethodNames.LogsFollow, request, ProtocolJsonContext.Default.LogsFollowParams, ProtocolJsonContext.Default.LogsFollowResult, ct);

    private static async Task<int> PrintLiveAsync(CliContext ctx, RpcClient client, bool raw, CancellationToken ct)
    {
        while (true)
        {
            (JsonRpcResponse? message, bool quiet) = await client.ReadNotificationAsync(client.FollowProbeInterval, ct).ConfigureAwait(false);
            if (quiet)
            {
                await client.ProbeAsync(ct).ConfigureAwait(false);
                continue;
            }
            if (message is null)
            {
                ctx.Console.Error.WriteLine("pmctl: the daemon closed the connection (it stopped or restarted); following ended");
                return 1;
            }
            JsonElement p = message.Params ?? default;
            switch (message.Method)
            {
                case RpcMethodNames.LogLineNotification:
                    ctx.Console.Out.WriteLine(LogText.Live(CommandText.Read(p, ProtocolJsonContext.Default.LogLineNotification), raw));
                    break;
                case RpcMethodNames.LogsDroppedNotification:
                    long dropped = CommandText.Read(p, ProtocolJsonContext.Default.LogsDroppedNotification).Dropped;
                    ctx.Console.Error.WriteLine($"pmctl: {dropped} log lines dropped: this terminal or pipe read more slowly than the services wrote");
                    break;
                case RpcMethodNames.LogsEndNotification:
                    ctx.Console.Error.WriteLine($"pmctl: {TerminalText.Escape(CommandText.Read(p, ProtocolJsonContext.Default.LogsEndNotification).Reason)}");
                    return 0;
            }
        }
    }
}
