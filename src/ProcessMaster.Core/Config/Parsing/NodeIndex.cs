namespace ProcessMaster.Core.Config.Parsing;

/// <summary>
/// Key path → the key and value nodes found there (<c>process.environment[1].name</c>). Validation uses
/// it to place errors at the right line and column and to tell "absent" from "explicitly null".
/// </summary>
internal sealed class NodeIndex
{
    private readonly Dictionary<string, (ConfigNode? Key, ConfigNode Value)> _entries = new(StringComparer.Ordinal);

    public void Add(string path, ConfigNode? key, ConfigNode value) => _entries.TryAdd(path, (key, value));

    /// <summary>True when the key is written in the file (even as <c>null</c>).</summary>
    public bool Has(string path) => _entries.ContainsKey(path);

    /// <summary>True when the key is written with an explicit null value.</summary>
    public bool IsExplicitNull(string path) => _entries.TryGetValue(path, out var e) && e.Value is ConfigScalar { IsNull: true };

    public ConfigNode? ValueAt(string path) => _entries.TryGetValue(path, out var e) ? e.Value : null;

    /// <summary>Where to report a problem about the value at <paramref name="path"/>: the value itself, or for
    /// an empty value its key; for an absent key, the nearest enclosing key that is present.</summary>
    public YamlDotNet.Core.Mark PositionOf(string path, bool preferKey = false)
    {
        string p = path;
        while (true)
        {
            if (_entries.TryGetValue(p, out var e))
            {
                bool emptyValue = e.Value is ConfigScalar { IsNull: true, Value: "" };
                return (preferKey || emptyValue || p != path) && e.Key is not null ? e.Key.Start : e.Value.Start;
            }

            if (p.Length == 0)
            {
                return new YamlDotNet.Core.Mark(0, 1, 1);
            }

            p = Parent(p);
        }
    }

    public static string Child(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    private static string Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}
