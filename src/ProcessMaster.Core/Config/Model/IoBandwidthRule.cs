using System.Globalization;
using System.Text;
using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config.Model;

/// <summary>One <c>resources.io_bandwidth[]</c> rule; at least one cap is set.</summary>
/// <param name="Major">Device major number.</param>
/// <param name="Minor">Device minor number.</param>
/// <param name="ReadBytesPerSecond">rbps cap (≥ 1024).</param>
/// <param name="WriteBytesPerSecond">wbps cap (≥ 1024).</param>
/// <param name="ReadIops">riops cap (≥ 5).</param>
/// <param name="WriteIops">wiops cap (≥ 5).</param>
public sealed record IoBandwidthRule(uint Major, uint Minor, ByteSize? ReadBytesPerSecond, ByteSize? WriteBytesPerSecond, ulong? ReadIops, ulong? WriteIops)
{
    /// <summary>The <c>io.max</c> line, e.g. <c>8:0 rbps=1048576 wiops=100</c>.</summary>
    public string IoMaxLine
    {
        get
        {
            var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{Major}:{Minor}");
            if (ReadBytesPerSecond is { } r)
            {
                sb.Append(CultureInfo.InvariantCulture, $" rbps={r.Bytes}");
            }

            if (WriteBytesPerSecond is { } w)
            {
                sb.Append(CultureInfo.InvariantCulture, $" wbps={w.Bytes}");
            }

            if (ReadIops is { } ri)
            {
                sb.Append(CultureInfo.InvariantCulture, $" riops={ri}");
            }

            if (WriteIops is { } wi)
            {
                sb.Append(CultureInfo.InvariantCulture, $" wiops={wi}");
            }

            return sb.ToString();
        }
    }
}
