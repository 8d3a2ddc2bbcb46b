using System.Globalization;
using System.IO.Compression;

namespace ProcessMaster.Testing;

/// <summary>
/// How long a reliability test runs and with which randomness: <c>PM_RELIABILITY_ITERATIONS</c> (the CI default is small,
/// <c>tests/reliability/long.sh</c> sets 100), <c>PM_RELIABILITY_SEED</c> (random when unset) and <c>PM_RELIABILITY_LONG=1</c>
/// (full-size floods). Every failure message
/// names the seed, so a failed run is repeated with <c>PM_RELIABILITY_SEED=N</c>.
/// </summary>
public sealed class ReliabilityRun
{
    public const string IterationsVariable = "PM_RELIABILITY_ITERATIONS";
    public const string SeedVariable = "PM_RELIABILITY_SEED";
    public const string LongVariable = "PM_RELIABILITY_LONG";

    private ReliabilityRun(int iterations, int seed)
    {
        Iterations = iterations;
        Seed = seed;
        Random = new Random(seed);
    }

    public int Iterations { get; }

    /// <summary>True for the long run (<c>PM_RELIABILITY_LONG=1</c>): floods take their full size.</summary>
    public bool IsLong { get; } = Environment.GetEnvironmentVariable(LongVariable) == "1";

    public int Seed { get; }

    /// <summary>The only source of randomness of the run (seeded).</summary>
    public Random Random { get; }

    /// <summary>Reads the variables; <paramref name="ciIterations"/> when the count is unset.</summary>
    public static ReliabilityRun FromEnvironment(int ciIterations)
    {
        int iterations = int.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : ciIterations;
        int seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int s) ? s : System.Random.Shared.Next();
        return new ReliabilityRun(iterations, seed);
    }

    /// <summary>How to repeat this run.</summary>
    public string Replay => $"{SeedVariable}={Seed} {IterationsVariable}={Iterations}";
}

/// <summary>Counting instances of a service by the kernel's view of its cgroup.</summary>
public static class CgroupInstances
{
    /// <summary>Every pid in <paramref name="cgroupPath"/> and its descendants.</summary>
    public static IReadOnlyList<int> AllProcs(string cgroupPath)
    {
        var pids = new List<int>();
        if (!Directory.Exists(cgroupPath)) return pids;
        pids.AddRange(CgroupSandbox.Procs(cgroupPath));
        foreach (string child in Directory.EnumerateDirectories(cgroupPath)) pids.AddRange(AllProcs(child));
        return pids;
    }

    /// <summary>
    /// The processes of the cgroup whose parent is outside it: one per instance of the service (its main process, or
    /// the exit keeper above it). Two roots are two instances. Zombies and processes gone meanwhile are left out.
    /// </summary>
    public static IReadOnlyList<int> Roots(string cgroupPath)
    {
        IReadOnlyList<int> all = AllProcs(cgroupPath);
        var set = all.ToHashSet();
        return [.. all.Where(pid => ParentOf(pid) is { } parent && !set.Contains(parent) && !ProcFacts.IsZombie(pid))];
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(rest[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>Services that write numbered lines (1, 2, 3, …), and the log files that must hold each exactly once.</summary>
public static class NumberedLog
{
    /// <summary>
    /// A shell loop for <c>start_command</c>: it writes line i to stdout, then i to <paramref name="progressFile"/>,
    /// pausing briefly every <paramref name="burst"/> lines.
    /// </summary>
    public static string Writer(string progressFile, int burst) =>
        $"i=0; while :; do i=$((i+1)); echo $i; echo $i > {progressFile}; [ $((i % {burst})) -eq 0 ] && sleep 0.02; done";

    /// <summary>The last number the writer reported as written (0 before the first).</summary>
    public static long Progress(string progressFile)
    {
        try
        {
            return long.TryParse(File.ReadAllText(progressFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The text of <paramref name="logPath"/> with its rotated backups before it, oldest first (<c>.N</c> … <c>.1</c>,
    /// each plain or <c>.gz</c>), as one string.
    /// </summary>
    public static string ReadWithBackups(string logPath)
    {
        string directory = Path.GetDirectoryName(logPath)!;
        string name = Path.GetFileName(logPath);
        var backups = new List<(int Index, string Path)>();
        foreach (string file in Directory.EnumerateFiles(directory, name + ".*"))
        {
            if (Path.GetFileName(file).Length <= name.Length + 1) continue;   // the pattern also matches the file itself
            string suffix = Path.GetFileName(file)[(name.Length + 1)..];
            if (suffix.EndsWith(".gz", StringComparison.Ordinal)) suffix = suffix[..^3];
            if (int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out int index)) backups.Add((index, file));
        }
        var text = new System.Text.StringBuilder();
        foreach ((_, string file) in backups.OrderByDescending(b => b.Index)) text.Append(ReadAny(file));
        if (File.Exists(logPath)) text.Append(File.ReadAllText(logPath));
        return text.ToString();
    }

    /// <summary>Complete lines of <see cref="ReadWithBackups"/>.</summary>
    public static long LastLine(string logPath)
    {
        string text = ReadWithBackups(logPath);
        int end = text.LastIndexOf('\n');
        if (end <= 0) return 0;
        int start = text.LastIndexOf('\n', end - 1) + 1;
        return long.TryParse(text.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1;
    }

    /// <summary>Null when the complete lines are exactly 1 … N in order; else what is wrong (the first gap or repeat).</summary>
    public static string? Problem(string text)
    {
        long expected = 1;
        int lineNo = 0;
        string complete = text[..(text.LastIndexOf('\n') + 1)];
        foreach (string line in complete.Split('\n')[..^1])
        {
            lineNo++;
            if (line != expected.ToString(CultureInfo.InvariantCulture))
                return $"line {lineNo} is \"{line}\" where {expected} was expected ({(long.TryParse(line, out long got) && got < expected ? "duplicated" : "lost or garbled")})";
            expected++;
        }
        return null;
    }

    private static string ReadAny(string file)
    {
        if (!file.EndsWith(".gz", StringComparison.Ordinal)) return File.ReadAllText(file);
        using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }
}
