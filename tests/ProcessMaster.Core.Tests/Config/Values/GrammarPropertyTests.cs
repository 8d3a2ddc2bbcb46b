using System.Globalization;
using CsCheck;
using ProcessMaster.Core.Config.Values;
using ProcessMaster.Core.Names;

namespace ProcessMaster.Core.Tests.Config.Values;

/// <summary>Property tests: value → text → value round trips, and junk never throws.</summary>
public class GrammarPropertyTests
{
    private const string Junk = "0123456789.-+ kKmMgGtTiIbBsShHdDxX@:/=,*?#LW\t\n'\"éA";

    private static readonly Gen<string> JunkText = Gen.OneOf(Gen.String, Gen.String[Gen.Char[Junk], 0, 24]);

    [Fact]
    public void ByteSize_ToStringThenParse_RoundTrips() =>
        Gen.ULong[0, ByteSize.MaxBytes].Sample(b => RoundTrip<ByteSize>(new ByteSize(b), ByteSize.TryParse));

    [Fact]
    public void ByteSize_AboveTheKernelMaximum_IsRefusedInEverySpelling() =>
        Gen.ULong[ByteSize.MaxBytes + 1, ulong.MaxValue].Sample(b =>
        {
            Assert.False(ByteSize.TryParse(b.ToString(CultureInfo.InvariantCulture), out _, out string plain));
            Assert.Contains("too large", plain, StringComparison.Ordinal);
            Assert.False(ByteSize.TryParse(new ByteSize(b).ToString(), out _, out string unit));
            Assert.Contains("too large", unit, StringComparison.Ordinal);
        });

    [Fact]
    public void MemoryLimit_ToStringThenParse_RoundTrips() =>
        Gen.OneOf(Gen.Const(MemoryLimit.Max), Gen.ULong[0, ByteSize.MaxBytes].Select(b => MemoryLimit.Of(new ByteSize(b))))
            .Sample(m => RoundTrip<MemoryLimit>(m, MemoryLimit.TryParse));

    [Fact]
    public void CpuQuota_ToStringThenParse_RoundTrips() =>
        Gen.Select(Gen.Long[1000, 1_000_000_000], Gen.Long[1000, 1_000_000]).Sample((q, p) =>
        {
            Assert.True(CpuQuota.TryParse($"{q} {p}", out CpuQuota v, out string error), error);
            Assert.Equal((q, p), (v.QuotaMicros, v.PeriodMicros));
            RoundTrip<CpuQuota>(v, CpuQuota.TryParse);
        });

    [Fact]
    public void CpuQuota_Millicores_AreHundredMicrosEach() =>
        Gen.Long[10, 1_000_000].Sample(mc =>
        {
            Assert.True(CpuQuota.TryParse(mc.ToString(CultureInfo.InvariantCulture) + "m", out CpuQuota v, out _));
            Assert.Equal($"{mc * 100} 100000", v.CgroupValue);
        });

    [Fact]
    public void Duration_ToStringThenParse_RoundTrips() =>
        Gen.Long[0, Duration.MaxMilliseconds].Sample(ms => RoundTrip<Duration>(Duration.FromMilliseconds(ms), Duration.TryParse));

    [Fact]
    public void OctalMode_ToStringThenParse_RoundTrips() =>
        Gen.Int[0, OctalMode.MaxValue].Sample(m =>
        {
            RoundTrip<OctalMode>(new OctalMode(m), OctalMode.TryParse);
            Assert.True(OctalMode.TryParse(Convert.ToString(m, 8), out OctalMode bare, out _));   // "660" == "0660"
            Assert.Equal(m, bare.Value);
        });

    [Fact]
    public void Ttl_ToStringThenParse_RoundTrips() =>
        Gen.Long[0, long.MaxValue].Sample(ms => RoundTrip<Ttl>(new Ttl(ms), Ttl.TryParse));

    [Fact]
    public void Signal_EveryName_RoundTripsInAnySpelling() =>
        Gen.Select(Gen.Int[0, Signal.KnownNames.Count() - 1].Select(i => Signal.KnownNames.ElementAt(i)), Gen.Bool, Gen.Bool).Sample((name, sig, lower) =>
        {
            string text = (sig ? "SIG" : "") + name;
            Assert.True(Signal.TryParse(lower ? text.ToLowerInvariant() : text, out Signal s, out _));
            Assert.Equal(name, s.Name);
            RoundTrip<Signal>(s, Signal.TryParse);
        });

    [Fact]
    public void ServiceName_GeneratedValidNames_RoundTrip()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
        Gen.Select(Gen.Char[alphabet[..62]], Gen.String[Gen.Char[alphabet], 0, 63]).Sample((first, rest) =>
        {
            string text = first + rest;
            Assert.True(ServiceName.TryParse(text, out ServiceName n, out string error), error);
            Assert.Equal(text, n.ToString());
        });
    }

    [Fact]
    public void EnvironmentValue_EncodedBytes_DecodeToTheSameBytes() =>
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            Assert.True(EnvironmentValue.TryParse("@b64://" + Convert.ToBase64String(bytes), out EnvironmentValue b64, out _));
            Assert.True(EnvironmentValue.TryParse("@hex://0x" + Convert.ToHexString(bytes), out EnvironmentValue hex, out _));
            Assert.Equal(bytes, ((EnvironmentValue.Literal)b64).Bytes);
            Assert.Equal(b64, hex);
        });

    [Fact]
    public void LocalDateBound_FormattedDateTime_RoundTrips() =>
        Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[0, 86_399]).Sample((y, mo, d, s) =>
        {
            DateTime dt = new DateTime(y, mo, d, 0, 0, 0, DateTimeKind.Unspecified).AddSeconds(s);
            string text = dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            Assert.True(LocalDateBound.TryParseLower(text, out LocalDateBound b, out string error), error);
            Assert.Equal(dt, b.Local);
        });

    [Fact]
    public void Schedule_GeneratedFiveFieldExpressions_Parse() =>
        Gen.Select(Gen.Int[0, 59], Gen.Int[0, 23], Gen.Int[1, 28], Gen.Int[1, 12], Gen.Int[0, 7]).Sample((mi, h, dom, mo, dow) =>
        {
            string text = $"{mi} {h} {dom} {mo} {dow}";
            Assert.True(Schedule.TryParse(text, out Schedule s, out string error), error);
            Assert.Equal(text, s.Text);
        });

    [Fact]
    public void EveryGrammar_RandomText_ParsesOrExplainsWithoutThrowing() =>
        JunkText.Sample(text =>
        {
            Check<ByteSize>(text, ByteSize.TryParse);
            Check<MemoryLimit>(text, MemoryLimit.TryParse);
            Check<CpuQuota>(text, CpuQuota.TryParse);
            Check<Duration>(text, Duration.TryParse);
            Check<Duration?>(text, Duration.TryParseOrNever);
            Check<OctalMode>(text, OctalMode.TryParse);
            Check<Ttl>(text, Ttl.TryParse);
            Check<Signal>(text, Signal.TryParse);
            Check<ServiceName>(text, ServiceName.TryParse);
            Check<EnvironmentValue>(text, EnvironmentValue.TryParse);
            Check<Schedule>(text, Schedule.TryParse);
            Check<LocalDateBound>(text, LocalDateBound.TryParseLower);
            Check<LocalDateBound>(text, LocalDateBound.TryParseUpper);
        }, iter: 2000);

    private delegate bool TryParse<T>(string text, out T value, out string error);

    private static void RoundTrip<T>(T value, TryParse<T> parse)
    {
        string text = value!.ToString()!;
        Assert.True(parse(text, out T again, out string error), $"\"{text}\": {error}");
        Assert.Equal(value, again);
    }

    private static void Check<T>(string text, TryParse<T> parse)
    {
        bool ok = parse(text, out _, out string error);
        Assert.True(ok == (error.Length == 0), $"{typeof(T).Name} \"{text}\": ok={ok} error=\"{error}\"");
    }
}
