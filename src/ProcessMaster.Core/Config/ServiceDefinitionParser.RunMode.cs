using System.Globalization;
using ProcessMaster.Core.Config.FileModel;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Parsing;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Restart;

namespace ProcessMaster.Core.Config;

public static partial class ServiceDefinitionParser
{
    private static readonly string[] JobOnlyKeys = ["not_before", "not_after", "max_time_per_run"];

    private static RunMode ReadRunMode(ProcessSection p, RestartPolicySection? restart, ConfigDiagnostics d)
    {
        bool scheduled = p.Schedule is not null;
        if (!scheduled)
        {
            foreach (string key in JobOnlyKeys)
            {
                if (d.Index.Has("process." + key) && !d.Index.IsExplicitNull("process." + key))
                {
                    d.AtKey("process." + key, "only applies to scheduled jobs (process.schedule is not set)",
                        "set process.schedule to make this service a job, or remove the key");
                }
            }

            return new RunMode.LongRunning(ReadRestartPolicy(restart, d));
        }

        if (restart is not null || (d.Index.Has("restart_policy") && !d.Index.IsExplicitNull("restart_policy")))
        {
            d.AtKey("restart_policy", "`process.schedule` and `restart_policy` are mutually exclusive",
                "a scheduled job is never restarted: remove restart_policy, or remove process.schedule to make it a long-running service");
        }

        Schedule schedule = ValueReader.Parse<Schedule>(d, "process.schedule", p.Schedule, Schedule.TryParse, default,
            "see `man 5 crontab`; e.g. \"*/5 * * * *\" (every 5 minutes) or \"0 3 * * 0\" (Sundays at 03:00)");
        LocalDateBound? notBefore = ReadBound(d, "process.not_before", p.NotBefore, LocalDateBound.TryParseLower);
        LocalDateBound? notAfter = ReadBound(d, "process.not_after", p.NotAfter, LocalDateBound.TryParseUpper);
        if (notBefore is { } nb && notAfter is { } na && na.Local < nb.Local)
        {
            d.At("process.not_after", $"process.not_after ({na.Text}) must be >= process.not_before ({nb.Text})", "swap the two dates or correct one of them");
        }

        Duration? maxTime = ValueReader.Parse<Duration?>(d, "process.max_time_per_run", p.MaxTimePerRun, Duration.TryParseOrNever, null,
            "e.g. 30s, 10m, 2h or never");
        return new RunMode.Job(schedule, notBefore, notAfter, maxTime);
    }

    private static LocalDateBound? ReadBound(ConfigDiagnostics d, string path, string? text, TryParseValue<LocalDateBound> parse)
    {
        if (text is null || text.Trim().Length == 0)
        {
            return null;
        }

        return parse(text, out LocalDateBound value, out string error) ? value : Fail(d, path, error);

        static LocalDateBound? Fail(ConfigDiagnostics d, string path, string error)
        {
            d.At(path, error, "e.g. \"2025-01-31\" or \"2025-01-31 08:30:00\" (quotes keep YAML from reading it as a date)");
            return null;
        }
    }

    private static RestartPolicy ReadRestartPolicy(RestartPolicySection? s, ConfigDiagnostics d)
    {
        if (s is null)
        {
            return RestartPolicy.Default;
        }

        if (!ValueReader.Require(d, "restart_policy", "restart_policy", "policy", "set policy: always or policy: never"))
        {
            return RestartPolicy.Default;
        }

        string policy = s.Policy!.Trim().ToLowerInvariant();
        if (policy == "never")
        {
            if (s.RestartBackoffMs is not null || s.Tolerance is not null)
            {
                d.AtKey(s.RestartBackoffMs is not null ? "restart_policy.restart_backoff_ms" : "restart_policy.tolerance",
                    "restart_policy.policy=never must not set restart_backoff_ms or tolerance", "remove them, or use policy: always");
            }

            return RestartPolicy.Never;
        }

        if (policy != "always")
        {
            d.At("restart_policy.policy", $"invalid restart_policy.policy \"{s.Policy.Trim()}\"", "use always or never");
            return RestartPolicy.Default;
        }

        RestartPolicy def = RestartPolicy.Default;
        Duration backoff = MillisecondsOrDefault(d, "restart_policy.restart_backoff_ms", s.RestartBackoffMs, (long)def.Backoff.TotalMilliseconds);
        int maxRestarts = def.MaxRestarts;
        if (s.Tolerance?.MaxRestarts is ulong m)
        {
            if (m > RestartPolicy.MaxRestartsLimit)
            {
                d.At("restart_policy.tolerance.max_restarts", $"max_restarts={m} exceeds limit {RestartPolicy.MaxRestartsLimit}",
                    $"use at most {RestartPolicy.MaxRestartsLimit}");
            }
            else
            {
                maxRestarts = (int)m;
            }
        }

        return new RestartPolicy(RestartMode.Always, backoff.TimeSpan, maxRestarts, ReadToleranceWindow(s.Tolerance?.Duration, d)?.TimeSpan ?? def.Window);
    }

    /// <summary>tolerance.duration: an unquoted integer is milliseconds; any other text uses the duration grammar.</summary>
    private static Duration? ReadToleranceWindow(string? text, ConfigDiagnostics d)
    {
        const string path = "restart_policy.tolerance.duration";
        if (text is null)
        {
            return null;
        }

        if (d.Index.ValueAt(path) is ConfigScalar { IsPlain: true } scalar)
        {
            string v = scalar.Value.Trim();
            if (v.StartsWith('-'))
            {
                d.At(path, "duration must be a positive integer (ms)", "write milliseconds (60000) or a duration such as 1m");
                return null;
            }

            if (v.Length > 0 && v.All(char.IsAsciiDigit))
            {
                return ValueReader.Parse<Duration?>(d, path, v, TryParseMilliseconds, null, "write milliseconds (60000) or a duration such as 1m");
            }

            if (scalar.AsBool is not null)
            {
                d.At(path, "duration must be an integer milliseconds or string like \"1m\"", "write milliseconds (60000) or a duration such as 1m");
                return null;
            }
        }

        return ValueReader.Parse<Duration?>(d, path, text, TryParseDuration, null, "write milliseconds (60000) or a duration such as 30s, 1m, 1.5h");
    }

    private static bool TryParseMilliseconds(string digits, out Duration? value, out string error)
    {
        value = null;
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong ms))
        {
            ms = ulong.MaxValue;
        }

        bool ok = Duration.TryFromMilliseconds(ms, out Duration v, out error);
        if (ok)
        {
            value = v;
        }
        else if (ms == ulong.MaxValue)
        {
            error = $"duration {digits} ms is too large (at most {Duration.MaxMilliseconds} ms, 3650 days); use a shorter duration";
        }

        return ok;
    }

    private static bool TryParseDuration(string text, out Duration? value, out string error)
    {
        bool ok = Duration.TryParse(text, out Duration v, out error);
        value = ok ? v : null;
        return ok;
    }
}
