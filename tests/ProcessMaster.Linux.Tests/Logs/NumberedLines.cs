using System.IO.Compression;
using System.Text;

using System.Runtime.Versioning;

namespace ProcessMaster.Linux.Tests.Logs;

/// <summary>Checks that captured text holds 1 … N (or 0 … N-1) exactly once, in order.</summary>
[SupportedOSPlatform("linux")]
internal static class NumberedLines
{
    public static void AssertSequence(string text, int first, int last)
    {
        string[] lines = text.Split('\n');
        Assert.True(text.EndsWith('\n'), "captured text ends mid-line");
        int expected = first;
        for (int i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i] != expected.ToString(System.Globalization.CultureInfo.InvariantCulture))
                Assert.Fail($"line {i + 1}: expected \"{expected}\", found \"{lines[i]}\" (lost, duplicated or reordered data)");
            expected++;
        }
        Assert.Equal(last + 1, expected);
    }

    public static string ReadGzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Bytes of <c>seq first last</c>.</summary>
    public static long SeqBytes(int first, int last)
    {
        long total = 0;
        for (int i = first; i <= last; i++) total += i.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 1;
        return total;
    }
}
