using System.Globalization;

namespace ProcessMaster.Linux.Procfs;

/// <summary>
/// The credentials of one thread as <c>/proc/self/task/TID/status</c> shows them: real, effective, saved and
/// file-system uid and gid, the supplementary groups, and the permitted and effective capability sets.
/// </summary>
/// <param name="Tid">The thread id.</param>
/// <param name="Uids">Real, effective, saved, fs uid.</param>
/// <param name="Gids">Real, effective, saved, fs gid.</param>
/// <param name="Groups">Supplementary groups, sorted.</param>
/// <param name="PermittedCapabilities">CapPrm as a bit mask.</param>
/// <param name="EffectiveCapabilities">CapEff as a bit mask.</param>
public sealed record TaskCredentials(int Tid, IReadOnlyList<uint> Uids, IReadOnlyList<uint> Gids, IReadOnlyList<uint> Groups,
    ulong PermittedCapabilities, ulong EffectiveCapabilities)
{
    /// <summary>Where the threads of the calling process are listed.</summary>
    public const string SelfTasksPath = "/proc/self/task";

    /// <summary>True when every id is <paramref name="uid"/>/<paramref name="gid"/>, the groups are exactly <paramref name="groups"/> and no capability is left.</summary>
    public bool Is(uint uid, uint gid, IReadOnlyList<uint> groups) =>
        Uids.All(u => u == uid) && Gids.All(g => g == gid) && Groups.SequenceEqual(groups.Order()) && PermittedCapabilities == 0 && EffectiveCapabilities == 0;

    /// <summary>One line for messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"thread {Tid}: Uid {string.Join(' ', Uids)}, Gid {string.Join(' ', Gids)}, Groups {string.Join(' ', Groups)}, CapPrm {PermittedCapabilities:x16}, CapEff {EffectiveCapabilities:x16}");

    /// <summary>Every thread of the calling process (threads that exit meanwhile are skipped).</summary>
    public static IReadOnlyList<TaskCredentials> OfEveryThread()
    {
        var threads = new List<TaskCredentials>();
        foreach (string task in Directory.EnumerateDirectories(SelfTasksPath))
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "status"));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }

            threads.Add(Parse(int.Parse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture), text));
        }

        return threads;
    }

    /// <summary>Parses the text of a status file.</summary>
    public static TaskCredentials Parse(int tid, string status)
    {
        IReadOnlyList<uint> uids = [], gids = [], groups = [];
        ulong permitted = ulong.MaxValue, effective = ulong.MaxValue;
        foreach (string line in status.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            string value = line[(colon + 1)..].Trim();
            switch (line[..colon])
            {
                case "Uid": uids = Ids(value); break;
                case "Gid": gids = Ids(value); break;
                case "Groups": groups = [.. Ids(value).Order()]; break;
                case "CapPrm": permitted = ulong.Parse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture); break;
                case "CapEff": effective = ulong.Parse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture); break;
            }
        }

        return new TaskCredentials(tid, uids, gids, groups, permitted, effective);
    }

    private static uint[] Ids(string value) =>
        [.. value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(v => uint.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture))];
}
