using System.Buffers;
using System.Threading.Channels;
using ProcessMaster.Protocol;
using ProcessMaster.Protocol.JsonRpc;
using ProcessMaster.Protocol.Methods;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// <c>logs_follow</c>: the reply carries the backlog; then each new line becomes a <c>logs_line</c> notification.
/// The supervisor's line source never waits for this client: lines go into a bounded queue, and when it is full they
/// are dropped and counted, then announced with one <c>logs_dropped</c> notification before the next line sent.
/// </summary>
internal sealed partial class JsonRpcConnection
{
    private const int FollowBatchBytes = 64 * 1024;

    private async Task<bool> FollowAsync(JsonRpcFrame frame, CancellationToken ct)
    {
        if (_followTask is not null)
        {
            await ReplyErrorAsync(frame, new RpcException(RpcErrorCodes.Refused,
                "logs_follow: refused: this connection is already following logs; open another connection"), ct).ConfigureAwait(false);
            return true;
        }
        LogFollowSession session;
        try
        {
            RpcOutcome outcome = await _methods.InvokeAsync(RpcMethodNames.LogsFollow, frame.Params, _caller, ct).ConfigureAwait(false);
            session = outcome.Follow!;
        }
        catch (Exception e)
        {
            if (e is OperationCanceledException && ct.IsCancellationRequested) throw;
            await ReplyErrorAsync(frame, e as RpcException ?? Internal(RpcMethodNames.LogsFollow, e), ct).ConfigureAwait(false);
            return true;
        }

        try
        {
            if (frame.HasId) await SendResultAsync(frame.Id, RpcOutcome.Following(session), ct).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _followTask = PumpAsync(session, ct);
        return true;
    }

    private async Task PumpAsync(LogFollowSession session, CancellationToken ct)
    {
        var queue = Channel.CreateBounded<LogLineNotification>(new BoundedChannelOptions(_options.FollowQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var dropped = new StrongBox<long>();
        Task<string?> producer = Task.Run(() => ProduceAsync(session, queue.Writer, dropped, ct), CancellationToken.None);
        try
        {
            var batch = new ArrayBufferWriter<byte>(FollowBatchBytes);
            while (await queue.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                batch.ResetWrittenCount();
                AppendDropped(batch, dropped);
                while (batch.WrittenCount < FollowBatchBytes && queue.Reader.TryRead(out LogLineNotification? line))
                {
                    JsonRpcMessages.WriteNotification(batch, RpcMethodNames.LogLineNotification, line, ProtocolJsonContext.Default.LogLineNotification);
                }
                await WriteAsync(batch.WrittenMemory, ct).ConfigureAwait(false);
                if (!queue.Reader.TryPeek(out _))
                {
                    // Drops happen only while the queue is full, so an empty queue means the count is final for now.
                    batch.ResetWrittenCount();
                    AppendDropped(batch, dropped);
                    if (batch.WrittenCount > 0) await WriteAsync(batch.WrittenMemory, ct).ConfigureAwait(false);
                }
            }
            string? reason = await producer.ConfigureAwait(false);
            batch.ResetWrittenCount();
            AppendDropped(batch, dropped);
            if (reason is not null)
            {
                JsonRpcMessages.WriteNotification(batch, RpcMethodNames.LogsEndNotification,
                    new LogsEndNotification { Reason = reason }, ProtocolJsonContext.Default.LogsEndNotification);
            }
            if (batch.WrittenCount > 0) await WriteAsync(batch.WrittenMemory, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            await producer.ConfigureAwait(false);
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Moves lines from the supervisor into the queue without ever waiting; returns why following ended (null: the client left).</summary>
    private static async Task<string?> ProduceAsync(LogFollowSession session, ChannelWriter<LogLineNotification> queue, StrongBox<long> dropped, CancellationToken ct)
    {
        string? reason;
        try
        {
            await foreach (LogLineNotification line in session.Lines.WithCancellation(ct).ConfigureAwait(false))
            {
                if (!queue.TryWrite(line)) Interlocked.Increment(ref dropped.Value);
            }
            reason = "following ended: the followed files are gone or the daemon is stopping";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            reason = null;
        }
        catch (RpcException e)
        {
            reason = e.Message;
        }
        catch (Exception e)
        {
            reason = $"following ended: {e.Message}";
        }
        queue.TryComplete();
        return reason;
    }

    private static void AppendDropped(ArrayBufferWriter<byte> batch, StrongBox<long> dropped)
    {
        long count = Interlocked.Exchange(ref dropped.Value, 0);
        if (count == 0) return;
        JsonRpcMessages.WriteNotification(batch, RpcMethodNames.LogsDroppedNotification,
            new LogsDroppedNotification { Dropped = count }, ProtocolJsonContext.Default.LogsDroppedNotification);
    }

    private sealed class StrongBox<T>
    {
        public T Value = default!;
    }
}
