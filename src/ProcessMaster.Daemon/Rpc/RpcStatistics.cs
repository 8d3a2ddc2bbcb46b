using System.Collections.Concurrent;
using System.Diagnostics;

namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// How many RPC calls each method answered and how long they took (socket and web console alike): a Prometheus
/// histogram per method. Thread-safe; recording is a few interlocked adds.
/// </summary>
internal sealed class RpcStatistics
{
    /// <summary>Upper bounds of the latency buckets, in seconds (the last, +Inf, is implied).</summary>
    public static readonly double[] BucketBounds = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];

    private readonly ConcurrentDictionary<string, MethodStatistics> _methods = new(StringComparer.Ordinal);

    /// <summary>Records the call's duration when <paramref name="call"/> completes (whatever its outcome).</summary>
    public async Task<RpcOutcome> Time(string method, Task<RpcOutcome> call)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            return await call.ConfigureAwait(false);
        }
        finally
        {
            Record(method, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Records one call of <paramref name="method"/> (a known method name: the caller checked it).</summary>
    public void Record(string method, TimeSpan duration) => _methods.GetOrAdd(method, static _ => new MethodStatistics()).Add(duration);

    /// <summary>Every method called so far, sorted by name.</summary>
    public IReadOnlyList<(string Method, MethodStatistics Statistics)> Snapshot() =>
        [.. _methods.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value))];

    /// <summary>One method's counts.</summary>
    internal sealed class MethodStatistics
    {
        private readonly long[] _buckets = new long[BucketBounds.Length];
        private long _count;
        private long _sumTicks;

        /// <summary>Calls answered.</summary>
        public long Count => Interlocked.Read(ref _count);

        /// <summary>Total time spent, in seconds.</summary>
        public double SumSeconds => TimeSpan.FromTicks(Interlocked.Read(ref _sumTicks)).TotalSeconds;

        /// <summary>Calls at or under each bound of <see cref="BucketBounds"/> (cumulative, as Prometheus wants).</summary>
        public long[] CumulativeBuckets()
        {
            var result = new long[_buckets.Length];
            for (int i = 0; i < _buckets.Length; i++) result[i] = Interlocked.Read(ref _buckets[i]);
            return result;
        }

        internal void Add(TimeSpan duration)
        {
            // The count first: a scrape in between never sees a bucket above +Inf (= the count).
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _sumTicks, duration.Ticks);
            double seconds = duration.TotalSeconds;
            for (int i = 0; i < BucketBounds.Length; i++)
                if (seconds <= BucketBounds[i]) Interlocked.Increment(ref _buckets[i]);
        }
    }
}
