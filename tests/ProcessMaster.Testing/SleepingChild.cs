using System.Runtime.InteropServices;

namespace ProcessMaster.Testing;

/// <summary>
/// Waits until a child running <c>sleep</c> is blocked in its sleep system call. Right after exec the dynamic loader
/// still has <c>/etc/ld.so.cache</c> or a library open on descriptor 3 for a moment, so a descriptor listing taken
/// then shows a file the program itself closes; once the program sleeps, its descriptors are the ones it inherited.
/// </summary>
public static class SleepingChild
{
    private static readonly int[] SleepCalls = RuntimeInformation.ProcessArchitecture == Architecture.Arm64
        ? [101, 115] // nanosleep, clock_nanosleep
        : [35, 230];

    /// <summary>Polls <c>/proc/PID/syscall</c> until it names nanosleep or clock_nanosleep; fails with what it saw last.</summary>
    public static async Task WaitAsync(int pid, TimeSpan timeout)
    {
        string last = "(nothing read)";
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                last = File.ReadAllText($"/proc/{pid}/syscall").Trim();
            }
            catch (IOException e)
            {
                last = e.Message;
            }
            string first = last.Split(' ', 2)[0];
            if (int.TryParse(first, out int call) && SleepCalls.Contains(call))
                return;
            await Task.Delay(5, CancellationToken.None);
        }
        throw new TimeoutException($"pid {pid} was not blocked in a sleep system call within {timeout}; /proc/{pid}/syscall: {last}");
    }
}
