using System.Threading.Channels;

namespace ProcessMaster.Testing;

/// <summary>Awaiting a named event with a timeout whose message says what was awaited (never a bare sleep).</summary>
public static class ChannelWaits
{
    /// <summary>Reads until an item matches; throws <see cref="TimeoutException"/> naming <paramref name="awaited"/> and what was seen instead.</summary>
    public static async Task<T> ReadUntilAsync<T>(this ChannelReader<T> reader, Func<T, bool> match, TimeSpan timeout, string awaited)
    {
        var seen = new List<T>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                T item = await reader.ReadAsync(cts.Token);
                if (match(item))
                {
                    return item;
                }

                seen.Add(item);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"timed out after {timeout.TotalMilliseconds:0} ms waiting for {awaited}; saw instead: [{string.Join(", ", seen)}]");
        }
    }
}
