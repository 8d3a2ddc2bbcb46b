using System.CommandLine;
using System.Text.Json;
using ProcessMaster.Cli.Rendering;
using ProcessMaster.Cli.Rpc;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Cli.Commands;

/// <summary><c>pmctl logs NAME [-n N]</c> and <c>pmctl logs -f [NAME] [--file FILENAME]</c>.</summary>
internal static class LogsCommand
{
    /// <summary>The original's text when neither a name nor -f is given.</summary>
    public const string NameRequired = "pmctl logs requires an app name, or use `pmctl logs -f [filename]`";

    public static Command Build(CliContext ctx)
    {
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "The service (optional with -f: all services)." };
        var count = new Option<int>("-n") { Description = "Last lines per file (0..10000).", DefaultValueFactory = _ => 50, HelpName = "N" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines as PATH: LINE until interrupted." };
        var file = new Option<string?>("--file") { Description = "With -f: only files with this base name (e.g. stderr.log).", HelpName = "FILENAME" };
        var command = new Command("logs", CommandText.Describe(
            "Print the last lines of a service's log files (stdout, stderr, hints), or follow them.",
            "pmctl logs web", "pmctl logs web -n 200", "pmctl logs -f", "pmctl logs -f web --file stderr.log", "pmctl logs -f | grep ERROR"))
        {
            name,
            count,
            follow,
            file,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(file) is not null && !result.GetValue(follow)) result.AddError("--file applies only with -f/--follow");
        });
        command.SetAction((parsed, ct) =>
        {
            string? service = parsed.GetValue(name);
            int lines = parsed.GetValue(count);
            if (parsed.GetValue(follow)) return FollowAsync(ctx, parsed, service, parsed.GetValue(file), lines, ct);
            if (string.IsNullOrWhiteSpace(service)) return Task.FromResult(ctx.Fail(NameRequired));
            return ctx.RemoteAsync(parsed, async (client, ct) =>
            {
                LogsResult result = await client.CallAsync(RpcMethodNames.Logs, new LogsParams { Name = service, N = lines },
                    ProtocolJsonContext.Default.LogsParams, ProtocolJsonContext.Default.LogsResult, ct).ConfigureAwait(false);
                ctx.PrintMessage(result.Files.Count == 0 ? $"{service}: no log files found" : LogText.Tails(result.Files));
                return 0;
            }, ct);
        });
        return command;
    }

    private static Task<int> FollowAsync(CliContext ctx, ParseResult parsed, string? service, string? file, int lines, CancellationToken cancellationToken) =>
        ctx.RemoteAsync(parsed, async (client, ct) =>
        {
            var request = new LogsFollowParams { Name = string.IsNullOrWhiteSpace(service) ? null : service, File = string.IsNullOrWhiteSpace(file) ? null : file, N = lines };
            LogsFollowResult backlog = await client.CallAsync(RpcMethodNames.LogsFollow, request,
                ProtocolJsonContext.Default.LogsFollowParams, ProtocolJsonContext.Default.LogsFollowResult, ct).ConfigureAwait(false);
            if (backlog.Files.Count == 0)
            {
                ctx.Console.Out.WriteLine(request.File is null ? "no log files found" : $"no log files found matching filename {request.File}");
                return 0;
            }
            ctx.Console.Out.Write(LogText.Tails(backlog.Files));
            return await PrintLiveAsync(ctx, client, ct).ConfigureAwait(false);
        }, cancellationToken);

    private static async Task<int> PrintLiveAsync(CliContext ctx, RpcClient client, CancellationToken ct)
    {
        while (await client.ReadNotificationAsync(ct).ConfigureAwait(false) is JsonRpcResponse message)
        {
            JsonElement p = message.Params ?? default;
            switch (message.Method)
            {
                case RpcMethodNames.LogLineNotification:
                    ctx.Console.Out.WriteLine(LogText.Live(CommandText.Read(p, ProtocolJsonContext.Default.LogLineNotification)));
                    break;
                case RpcMethodNames.LogsDroppedNotification:
                    long dropped = CommandText.Read(p, ProtocolJsonContext.Default.LogsDroppedNotification).Dropped;
                    ctx.Console.Error.WriteLine($"pmctl: {dropped} log lines dropped: this terminal or pipe read more slowly than the services wrote");
                    break;
                case RpcMethodNames.LogsEndNotification:
                    ctx.Console.Error.WriteLine($"pmctl: {CommandText.Read(p, ProtocolJsonContext.Default.LogsEndNotification).Reason}");
                    return 0;
            }
        }
        return 0;
    }
}
