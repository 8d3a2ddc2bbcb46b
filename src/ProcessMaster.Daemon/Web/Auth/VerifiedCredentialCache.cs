using System.Security.Cryptography;
using System.Text;

namespace ProcessMaster.Daemon.Web.Auth;

/// <summary>
/// Remembers recent successful logins so an open page does not pay for bcrypt on every request. The key is an
/// HMAC-SHA256 of the whole <c>Authorization</c> header under a random per-process key (never persisted), so no
/// password, nor anything that can be checked offline without that key, is kept. An entry holds the user and the
/// hash it was verified against: it stops matching when that user's hash changes, and after <see cref="Lifetime"/>.
/// Only successes are cached; at most <see cref="Capacity"/> entries, the oldest evicted first.
/// </summary>
internal sealed class VerifiedCredentialCache(TimeProvider time)
{
    public const int Capacity = 1024;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    /// <summary>The user a header was verified for, when it was within <see cref="Lifetime"/> and the user's hash is still <paramref name="currentHash"/>.</summary>
    public string? Lookup(string header, Func<string, string?> currentHash)
    {
        string key = Digest(header);
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out Entry entry)) return null;
            if (time.GetUtcNow() >= entry.Expires || !string.Equals(currentHash(entry.User), entry.Hash, StringComparison.Ordinal))
            {
                _entries.Remove(key);
                return null;
            }
            return entry.User;
        }
    }

    /// <summary>Records a successful verification.</summary>
    public void Remember(string header, string user, string hash)
    {
        string key = Digest(header);
        lock (_lock)
        {
            if (!_entries.ContainsKey(key))
            {
                _order.Enqueue(key);
                while (_order.Count > Capacity) _entries.Remove(_order.Dequeue());
            }
            _entries[key] = new Entry(user, hash, time.GetUtcNow() + Lifetime);
        }
    }

    /// <summary>How many entries are held (tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    private string Digest(string header)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(header), mac);
        return Convert.ToBase64String(mac);
    }

    private readonly record struct Entry(string User, string Hash, DateTimeOffset Expires);
}
