using System.Collections.Frozen;
using System.Reflection;

namespace ProcessMaster.Daemon.Web.Endpoints;

/// <summary>
/// The console's files, embedded in the binary (no CDN, nothing read from disk): a fixed table built from the embedded
/// resource names, so a request can only ever name one of them.
/// </summary>
internal static class StaticAssets
{
    private const string Prefix = "web/";

    private static readonly Lazy<FrozenDictionary<string, Asset>> Table = new(Load);

    /// <summary>The asset at <paramref name="name"/> (e.g. <c>js/app.js</c>), or null.</summary>
    public static Asset? Find(string name) => Table.Value.GetValueOrDefault(name);

    private static FrozenDictionary<string, Asset> Load()
    {
        Assembly assembly = typeof(StaticAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            string name = resource[Prefix.Length..];
            assets[name] = new Asset(copy.ToArray(), ContentType(name));
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".html" => "text/html; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}

/// <summary>One embedded file.</summary>
internal sealed record Asset(byte[] Content, string ContentType);
