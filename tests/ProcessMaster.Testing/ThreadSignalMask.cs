using System.Runtime.InteropServices;

namespace ProcessMaster.Testing;

/// <summary>
/// Starts something from a thread that blocks a signal: a child inherits its parent thread's blocked-signal mask across
/// fork and exec (.NET's Process.Start restores the calling thread's mask in the child), which is how a daemon can end up
/// started with SIGHUP blocked.
/// </summary>
public static partial class ThreadSignalMask
{
    private const int SIG_BLOCK = 0;

    /// <summary>Runs <paramref name="start"/> on a new thread that blocks <paramref name="signal"/> and returns its task:
    /// the synchronous part (up to the first await, e.g. Process.Start) runs under that mask.</summary>
    public static Task RunBlocking(int signal, Func<Task> start)
    {
        Task? started = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                // glibc's sigset_t: 1024 bits; signal N is bit N-1.
                var set = new ulong[16];
                set[(signal - 1) / 64] = 1UL << ((signal - 1) % 64);
                int error = PthreadSigmask(SIG_BLOCK, set, null);
                if (error != 0) throw new InvalidOperationException($"pthread_sigmask failed: errno {error}");
                started = start();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is not null ? Task.FromException(failure) : started!;
    }

    /// <summary>The blocked-signal mask of <paramref name="pid"/>'s main thread (<c>SigBlk</c> in /proc/PID/status).</summary>
    public static ulong BlockedOf(int pid) => StatusMask(pid, "SigBlk");

    /// <summary>The signals <paramref name="pid"/> ignores (<c>SigIgn</c>).</summary>
    public static ulong IgnoredOf(int pid) => StatusMask(pid, "SigIgn");

    /// <summary>The signals <paramref name="pid"/> has a handler for (<c>SigCgt</c>).</summary>
    public static ulong CaughtOf(int pid) => StatusMask(pid, "SigCgt");

    /// <summary>The bit of <paramref name="signal"/> in a /proc signal mask.</summary>
    public static ulong Bit(int signal) => 1UL << (signal - 1);

    private static ulong StatusMask(int pid, string key)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
                return ulong.Parse(line.AsSpan(key.Length + 1).Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no {key} line");
    }

    [LibraryImport("libc", EntryPoint = "pthread_sigmask")]
    private static partial int PthreadSigmask(int how, [In] ulong[] set, ulong[]? oldset);
}
