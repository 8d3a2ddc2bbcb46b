using ProcessMaster.Core.Logs;
using System.Globalization;
using ProcessMaster.Core.Config.FileModel;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Parsing;
using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config;

public static partial class ServiceDefinitionParser
{
    /// <summary>Largest block device major number (12 bits, <c>MAJORBITS</c>).</summary>
    private const uint MaxDeviceMajor = (1 << 12) - 1;

    /// <summary>Largest block device minor number (20 bits, <c>MINORBITS</c>).</summary>
    private const uint MaxDeviceMinor = (1 << 20) - 1;

    /// <summary>How to write a cpu limit (also the master's cgroup.cpu_max).</summary>
    internal const string CpuFix = "write millicores (250m), cores (1.5), MAX, or \"QUOTA PERIOD\" in µs (e.g. \"20000 100000\")";

    /// <summary>How to write a memory or swap limit (also the master's cgroup.memory_max/memory_swap_max).</summary>
    internal const string MemoryFix = "e.g. 512m, 1GiB (a bare number is bytes), or MAX for no limit";

    private static LogSettings ReadLogs(LogsSection? s, string wd, ConfigDiagnostics d)
    {
        s ??= new LogsSection();
        const string pathFix = "write a file path (relative to the working directory)";
        string stdout = LexicalPath.Resolve(wd, ValueReader.NonBlank(d, "logs.stdout", s.Stdout, pathFix) ?? "logs/stdout.log");
        string stderr = LexicalPath.Resolve(wd, ValueReader.NonBlank(d, "logs.stderr", s.Stderr, pathFix) ?? "logs/stderr.log");
        var hints = new List<string>();
        for (int i = 0; s.Hints is not null && i < s.Hints.Count; i++)
        {
            string path = NodeIndex.Item("logs.hints", i);
            string? hint = ValueReader.NonBlank(d, path, s.Hints[i], pathFix + ", or remove the item");
            if (hint is null)
            {
                continue;
            }

            string resolved = LexicalPath.Resolve(wd, hint);
            if (!LexicalPath.IsInside(wd, resolved))
            {
                d.At(path, $"log hint \"{hint}\" is outside the working directory {wd}", "hints must name files inside the working directory");
                continue;
            }

            hints.Add(resolved);
        }

        return new LogSettings(stdout, stderr, ReadRotation(s, d), s.CompressionEnabled ?? true,
            ReadStopCommandLog(d, "logs.stop_command_stdout", s.StopCommandStdout, wd),
            ReadStopCommandLog(d, "logs.stop_command_stderr", s.StopCommandStderr, wd),
            new ValueList<string>(hints));
    }

    private static string? ReadStopCommandLog(ConfigDiagnostics d, string path, string? text, string wd)
    {
        if (d.Index.IsExplicitNull(path))
        {
            return null;
        }

        string file = ValueReader.NonBlank(d, path, text, "write a file path, or null to discard the output") ?? "logs/" + path["logs.".Length..] + ".log";
        return LexicalPath.Resolve(wd, file);
    }

    private static LogRotation ReadRotation(LogsSection s, ConfigDiagnostics d)
    {
        string mode = s.RotationMode ?? "size";
        if (mode is not ("size" or "time"))
        {
            d.At("logs.rotation_mode", $"invalid logs.rotation_mode \"{mode}\"", "use size or time (lower case)");
            mode = "size";
        }

        if (mode == "time")
        {
            if (s.RotationSize is not null || s.RotationBackups is not null)
            {
                d.AtKey(s.RotationSize is not null ? "logs.rotation_size" : "logs.rotation_backups",
                    "logs.rotation_mode=time cannot set logs.rotation_size/rotation_backups", "remove them, or use rotation_mode: size");
            }

            RotationFrequency frequency = RotationFrequency.Daily;
            if (s.RotationFrequency is not null && !TryFrequency(s.RotationFrequency, out frequency))
            {
                d.At("logs.rotation_frequency", $"invalid logs.rotation_frequency \"{s.RotationFrequency}\"", "use minutely, hourly, daily, weekly, monthly or none (lower case)");
            }

            Duration maxAge = MillisecondsOrDefault(d, "logs.rotation_max_age_ms", s.RotationMaxAgeMs, 2_592_000_000);
            return new LogRotation.ByTime(frequency, maxAge);
        }

        if (s.RotationFrequency is not null || s.RotationMaxAgeMs is not null)
        {
            d.AtKey(s.RotationFrequency is not null ? "logs.rotation_frequency" : "logs.rotation_max_age_ms",
                "logs.rotation_mode=size cannot set logs.rotation_frequency/rotation_max_age_ms", "remove them, or set rotation_mode: time");
        }

        var def = (LogRotation.BySize)LogRotation.Default;
        ByteSize size = ValueReader.Parse(d, "logs.rotation_size", s.RotationSize, ByteSize.TryParse, def.Size, "e.g. 10m, 64MiB (a bare number is bytes)");
        int backups = def.Backups;
        if (s.RotationBackups is ulong b)
        {
            if (b > 10_000)
            {
                d.At("logs.rotation_backups", $"logs.rotation_backups={b} is too large", "keep at most 10000 rotated files");
            }
            else
            {
                backups = (int)b;
            }
        }

        return new LogRotation.BySize(size, backups);
    }

    private static bool TryFrequency(string text, out RotationFrequency frequency)
    {
        frequency = text switch
        {
            "minutely" => RotationFrequency.Minutely,
            "hourly" => RotationFrequency.Hourly,
            "daily" => RotationFrequency.Daily,
            "weekly" => RotationFrequency.Weekly,
            "monthly" => RotationFrequency.Monthly,
            "none" => RotationFrequency.None,
            _ => (RotationFrequency)(-1),
        };
        return (int)frequency >= 0;
    }

    private static ResourceLimits ReadResources(ResourcesSection? s, ConfigDiagnostics d)
    {
        if (s is null)
        {
            return ResourceLimits.Unlimited;
        }

        static string? Value(string? text) => text is null || text.Trim().Length == 0 ? null : text;
        CpuQuota cpu = ValueReader.Parse(d, "resources.max_cpu", Value(s.MaxCpu), CpuQuota.TryParse, CpuQuota.Max, CpuFix);
        MemoryLimit memory = ValueReader.Parse(d, "resources.max_memory", Value(s.MaxMemory), MemoryLimit.TryParse, MemoryLimit.Max, MemoryFix);
        MemoryLimit swap = ValueReader.Parse(d, "resources.max_swap", Value(s.MaxSwap), MemoryLimit.TryParse, MemoryLimit.Of(new ByteSize(0)), MemoryFix);
        int? ioWeight = null;
        if (s.IoWeight is ulong w)
        {
            if (w is < 1 or > 10_000)
            {
                d.At("resources.io_weight", $"io_weight {w} must be in 1..=10000", "use 1..10000 (100 is the kernel default)");
            }
            else
            {
                ioWeight = (int)w;
            }
        }

        var rules = new List<IoBandwidthRule>();
        for (int i = 0; s.IoBandwidth is not null && i < s.IoBandwidth.Count; i++)
        {
            if (ReadIoRule(s.IoBandwidth[i], NodeIndex.Item("resources.io_bandwidth", i), d) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return new ResourceLimits(cpu, memory, swap, ioWeight, new ValueList<IoBandwidthRule>(rules), ReadMaxPids(Value(s.MaxPids), d));
    }

    /// <summary><c>resources.max_pids</c>: a whole number of at least 1, or MAX (the default).</summary>
    private static long? ReadMaxPids(string? text, ConfigDiagnostics d)
    {
        const string path = "resources.max_pids";
        if (text is null || text.Trim().Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long pids) && pids >= 1)
        {
            return pids;
        }

        d.At(path, $"max_pids \"{text.Trim()}\" is not a number of processes", "write a whole number of at least 1 (processes and threads at once, pids.max), or MAX");
        return null;
    }

    private static IoBandwidthRule? ReadIoRule(IoBandwidthSection r, string path, ConfigDiagnostics d)
    {
        bool ok = ValueReader.Require(d, path, path, "device", "set device: MAJ:MIN (see lsblk)");
        uint major = 0, minor = 0;
        if (r.Device is not null)
        {
            string[] parts = r.Device.Trim().Split(':');
            if (parts.Length != 2 || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out major)
                || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minor))
            {
                d.At(NodeIndex.Child(path, "device"), $"io_bandwidth.device must be MAJ:MIN, found \"{r.Device.Trim()}\"", "use the block device numbers, e.g. 8:0 (see lsblk)");
                ok = false;
            }
            else if (major > MaxDeviceMajor || minor > MaxDeviceMinor)
            {
                d.At(NodeIndex.Child(path, "device"), $"io_bandwidth.device {major}:{minor} is not a Linux device number (major at most {MaxDeviceMajor}, minor at most {MaxDeviceMinor})",
                    "use the block device numbers, e.g. 8:0 (see lsblk)");
                ok = false;
            }
        }

        ByteSize? Bps(string key, string? text)
        {
            if (text is null)
            {
                return null;
            }

            ByteSize? v = ValueReader.Parse<ByteSize?>(d, NodeIndex.Child(path, key), text, TryParseSize, null, "e.g. 10m or 50MiB");
            if (v is { Bytes: < 1024 })
            {
                d.At(NodeIndex.Child(path, key), $"{key} must be at least 1024 bytes per second", "use 1k or more");
                ok = false;
            }

            ok &= v is not null;
            return v;
        }

        ulong? Iops(string key, ulong? value)
        {
            if (value is < 5)
            {
                d.At(NodeIndex.Child(path, key), $"{key} must be at least 5", "use 5 or more operations per second");
                ok = false;
            }
            else if (value > long.MaxValue)
            {
                d.At(NodeIndex.Child(path, key), $"{key} {value} is too large (max {long.MaxValue})", "use a smaller number of operations per second");
                ok = false;
            }

            return value;
        }

        var rule = new IoBandwidthRule(major, minor,
            Bps("max_read_bytes_per_second", r.MaxReadBytesPerSecond), Bps("max_write_bytes_per_second", r.MaxWriteBytesPerSecond),
            Iops("max_read_iops", r.MaxReadIops), Iops("max_write_iops", r.MaxWriteIops));
        string[] caps = ["max_read_bytes_per_second", "max_write_bytes_per_second", "max_read_iops", "max_write_iops"];
        // A cap written but invalid is reported at itself; "no limit" is for a rule that writes none.
        if (!caps.Any(cap => d.Index.Has(NodeIndex.Child(path, cap)) && !d.Index.IsExplicitNull(NodeIndex.Child(path, cap))))
        {
            d.At(path, "io_bandwidth rule sets no limit", "set at least one of max_read_bytes_per_second, max_write_bytes_per_second, max_read_iops, max_write_iops");
            ok = false;
        }

        return ok ? rule : null;
    }

    private static bool TryParseSize(string text, out ByteSize? value, out string error)
    {
        bool ok = ByteSize.TryParse(text, out ByteSize v, out error);
        value = ok ? v : null;
        return ok;
    }

    private static ValueList<ProvisioningEntry> ReadProvisioning(List<ProvisioningSection>? entries, ProvisioningScope scope, ConfigDiagnostics d)
    {
        var result = new List<ProvisioningEntry>();
        for (int i = 0; entries is not null && i < entries.Count; i++)
        {
            string path = NodeIndex.Item("provisioning", i);
            ProvisioningSection e = entries[i];
            if (!ValueReader.Require(d, path, path, "path", "set path: (relative to the working directory, . for the directory itself)"))
            {
                continue;
            }

            string? target = ValueReader.NonBlank(d, NodeIndex.Child(path, "path"), e.Path, "write a path (. for the working directory itself)");
            OctalMode? mode = MasterConfigParser.ReadMode(d, NodeIndex.Child(path, "mode"), e.Mode);
            if (target is null)
            {
                continue;
            }

            var entry = new ProvisioningEntry(LexicalPath.Resolve(scope.WorkingDirectory, target), Blank(e.Ownership?.Owner), Blank(e.Ownership?.Group),
                e.Ownership?.Recursive ?? false, mode, e.AddNetBindCapability ?? false);
            if (scope.Check(entry) is { } problem)
            {
                d.At(NodeIndex.Child(path, "path"), problem.Problem, problem.Fix);
                continue;
            }

            result.Add(entry);
        }

        return new ValueList<ProvisioningEntry>(result);
    }
}
