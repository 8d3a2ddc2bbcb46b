using System.Globalization;

namespace ProcessMaster.Linux.Procfs;

/// <summary>Reads of <c>/proc/PID/stat</c> and <c>/proc/uptime</c> (process start times, for status).</summary>
public static class ProcStat
{
    /// <summary>USER_HZ: the unit of the starttime field. 100 on every Linux architecture we run on.</summary>
    public const int ClockTicksPerSecond = 100;

    /// <summary>How long <paramref name="pid"/> has been running, or null if it is gone or unreadable.</summary>
    public static TimeSpan? TryGetAge(int pid)
    {
        long? started = TryReadStartTicks(pid);
        TimeSpan? uptime = TryReadUptime();
        if (started is not { } ticks || uptime is not { } up) return null;
        TimeSpan age = up - TimeSpan.FromSeconds((double)ticks / ClockTicksPerSecond);
        return age < TimeSpan.Zero ? TimeSpan.Zero : age;
    }

    /// <summary>Field 22 (starttime, clock ticks after boot) of <c>/proc/PID/stat</c>; identifies a pid incarnation.</summary>
    public static long? TryReadStartTicks(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return ParseStartTicks(text);
    }

    /// <summary>Parses the starttime field; the command name (field 2) may contain spaces and parentheses.</summary>
    public static long? ParseStartTicks(string stat)
    {
        int close = stat.LastIndexOf(')');
        if (close < 0) return null;
        string[] fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After ")" come fields 3.. (state is field 3), so starttime (field 22) is index 19.
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) ? ticks : null;
    }

    /// <summary>Seconds since boot from <c>/proc/uptime</c>.</summary>
    public static TimeSpan? TryReadUptime()
    {
        try
        {
            string first = File.ReadAllText("/proc/uptime").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) ? TimeSpan.FromSeconds(seconds) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>This boot's id (<c>/proc/sys/kernel/random/boot_id</c>): monotonic times from another boot are meaningless.</summary>
    public static string? TryReadBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
