using System.Globalization;

namespace ProcessMaster.Core.Logs;

/// <summary>Size-mode rotation decisions: when to rotate, which names shift, which backups are surplus.</summary>
public static class SizeRotation
{
    /// <summary>True once a file of <paramref name="fileBytes"/> has reached the threshold (0 = never).</summary>
    public static bool IsThresholdCrossed(long fileBytes, long thresholdBytes) =>
        thresholdBytes > 0 && fileBytes >= thresholdBytes;

    /// <summary>
    /// How many bytes the next transfer may move so that it stops exactly at the threshold
    /// (at least 1, at most <paramref name="chunk"/>); the full chunk when rotation is off or already due.
    /// </summary>
    public static int NextTransferLimit(long fileBytes, long thresholdBytes, int chunk)
    {
        if (thresholdBytes <= 0 || fileBytes >= thresholdBytes) return chunk;
        return (int)Math.Clamp(thresholdBytes - fileBytes, 1, chunk);
    }

    /// <summary>
    /// The renames of one rotation of <paramref name="baseName"/> keeping <paramref name="backups"/> backups:
    /// delete <c>.N</c> and <c>.N.gz</c>, shift <c>.i</c>/<c>.i.gz</c> to <c>.(i+1)</c> for i = N−1 … 1,
    /// then the live file to <c>.1</c>. With 0 backups the live file is simply deleted.
    /// </summary>
    public static BackupShift Plan(string baseName, int backups)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(backups);
        if (backups == 0) return new BackupShift([baseName], []);
        var deletes = new[] { Numbered(baseName, backups), Numbered(baseName, backups) + ".gz" };
        var renames = new List<(string, string)>();
        for (int i = backups - 1; i >= 1; i--)
        {
            renames.Add((Numbered(baseName, i), Numbered(baseName, i + 1)));
            renames.Add((Numbered(baseName, i) + ".gz", Numbered(baseName, i + 1) + ".gz"));
        }
        renames.Add((baseName, Numbered(baseName, 1)));
        return new BackupShift(deletes, renames);
    }

    /// <summary>
    /// Names in <paramref name="entries"/> that are numbered backups of <paramref name="baseName"/>
    /// (<c>base.K</c> or <c>base.K.gz</c>, K all digits) with K above <paramref name="backups"/>.
    /// Unrelated names that merely share the prefix (<c>service.log.err</c>) are never returned.
    /// </summary>
    public static IReadOnlyList<string> SurplusBackups(IEnumerable<string> entries, string baseName, int backups)
    {
        var surplus = new List<string>();
        foreach (string name in entries)
            if (TryParseBackupIndex(name, baseName, out int index, out _) && index > backups) surplus.Add(name);
        return surplus;
    }

    /// <summary>Parses <c>base.K</c> / <c>base.K.gz</c>; K is 1 … 1,000,000 without leading zeros.</summary>
    public static bool TryParseBackupIndex(string name, string baseName, out int index, out bool compressed)
    {
        index = 0;
        compressed = false;
        if (!name.StartsWith(baseName + ".", StringComparison.Ordinal)) return false;
        ReadOnlySpan<char> rest = name.AsSpan(baseName.Length + 1);
        if (rest.EndsWith(".gz", StringComparison.Ordinal))
        {
            compressed = true;
            rest = rest[..^3];
        }
        if (rest.Length is 0 or > 7 || rest[0] == '0') return false;
        foreach (char c in rest)
            if (c is < '0' or > '9') return false;
        index = int.Parse(rest, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary><c>base.K</c>.</summary>
    public static string Numbered(string baseName, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{baseName}.{index}");
}
