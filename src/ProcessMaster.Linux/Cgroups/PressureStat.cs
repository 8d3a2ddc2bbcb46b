using System.Globalization;

namespace ProcessMaster.Linux.Cgroups;

/// <summary>A pressure file (<c>cpu.pressure</c>, <c>memory.pressure</c>, <c>io.pressure</c>): <c>some</c> and, where the kernel reports it, <c>full</c>.</summary>
public sealed record PressureStat(PressureLine Some, PressureLine? Full)
{
    /// <summary>Parses <c>some avg10=0.00 avg60=0.00 avg300=0.00 total=0</c> lines.</summary>
    public static PressureStat Parse(string text)
    {
        PressureLine? some = null;
        PressureLine? full = null;
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            double avg10 = 0, avg60 = 0, avg300 = 0;
            ulong total = 0;
            foreach (string part in parts.Skip(1))
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    continue;
                }

                string key = part[..eq];
                string value = part[(eq + 1)..];
                switch (key)
                {
                    case "avg10": avg10 = double.Parse(value, CultureInfo.InvariantCulture); break;
                    case "avg60": avg60 = double.Parse(value, CultureInfo.InvariantCulture); break;
                    case "avg300": avg300 = double.Parse(value, CultureInfo.InvariantCulture); break;
                    case "total": total = ulong.Parse(value, CultureInfo.InvariantCulture); break;
                }
            }

            var parsed = new PressureLine(avg10, avg60, avg300, total);
            if (parts[0] == "some") { some = parsed; }
            else if (parts[0] == "full") { full = parsed; }
        }

        return new PressureStat(some ?? throw new FormatException("pressure file has no \"some\" line"), full);
    }
}
