using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using ProcessMaster.Core.Config.Model;

namespace ProcessMaster.Daemon.Web.Auth;

/// <summary>
/// Checks <c>Authorization: Basic</c> headers against the configured htpasswd bcrypt entries (<c>$2a$</c>, <c>$2b$</c>,
/// <c>$2y$</c>). A cache of recent successes (<see cref="VerifiedCredentialCache"/>) keeps a live page cheap; a miss runs
/// bcrypt on the thread pool, never more than <see cref="MaxConcurrent"/> at once (further attempts wait briefly, then get
/// 429), so a flood of guesses cannot take the CPU from supervision. An unknown user is checked against a dummy hash of
/// the configured cost, so the answer time does not tell which users exist; both get the same 401 text.
/// </summary>
internal sealed class PasswordVerifier : IDisposable
{
    private static readonly TimeSpan QueueWait = TimeSpan.FromSeconds(5);
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly Dictionary<string, string> _hashes = new(StringComparer.Ordinal);
    private readonly string _dummyHash;
    private readonly VerifiedCredentialCache _cache;
    private readonly SemaphoreSlim _slots;

    public PasswordVerifier(IReadOnlyList<BasicAuthUser> users, TimeProvider time, int? maxConcurrent = null)
    {
        foreach (BasicAuthUser user in users) _hashes[user.User] = user.Hash;
        int cost = users.Count == 0 ? 10 : users.Max(u => CostOf(u.Hash));
        _dummyHash = BCrypt.Net.BCrypt.HashPassword(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)), cost);
        _cache = new VerifiedCredentialCache(time);
        MaxConcurrent = maxConcurrent ?? Math.Max(1, Environment.ProcessorCount / 2);
        _slots = new SemaphoreSlim(MaxConcurrent, MaxConcurrent);
    }

    /// <summary>bcrypt verifications allowed at once.</summary>
    public int MaxConcurrent { get; }

    /// <summary>True when <paramref name="user"/> is configured.</summary>
    public bool IsKnown(string user) => _hashes.ContainsKey(user);

    /// <summary>Checks one request's header.</summary>
    public async Task<AuthOutcome> VerifyAsync(string? header, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(header) && _cache.Lookup(header, HashOf) is { } cached) return AuthOutcome.Success(cached);
        using BasicCredentials? credentials = BasicCredentials.TryParse(header, out string? failure);
        if (credentials is null) return AuthOutcome.Fail(failure!);
        string? claimed = IsKnown(credentials.User) ? credentials.User : null;

        if (!await _slots.WaitAsync(QueueWait, cancellationToken).ConfigureAwait(false))
            return new AuthOutcome(null, "too many login attempts in progress; try again in a few seconds", Busy: true, Claimed: claimed);
        bool ok;
        try
        {
            string hash = claimed is null ? _dummyHash : _hashes[claimed];
            ok = await Task.Run(() => Matches(credentials, hash), cancellationToken).ConfigureAwait(false) && claimed is not null;
        }
        finally
        {
            _slots.Release();
        }
        if (!ok) return AuthOutcome.Fail(BasicCredentials.Invalid, claimed);
        _cache.Remember(header!, claimed!, _hashes[claimed!]);
        return AuthOutcome.Success(claimed!);
    }

    /// <summary>True when <paramref name="password"/> is the password of <paramref name="hash"/> (start-up checks).</summary>
    public static bool Matches(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (Exception e) when (e is BCrypt.Net.SaltParseException or BCrypt.Net.HashInformationException or BCrypt.Net.BcryptAuthenticationException or ArgumentException)
        {
            return false;
        }
    }

    private static bool Matches(BasicCredentials credentials, string hash)
    {
        string password;
        try
        {
            password = StrictUtf8.GetString(credentials.Password);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        try
        {
            return Matches(password, hash);
        }
        finally
        {
            // BCrypt.Net takes a string; overwrite ours once used (the audit's T-32: no plaintext left in memory by us).
            MemoryMarshal.AsMemory(password.AsMemory()).Span.Clear();
        }
    }

    private string? HashOf(string user) => _hashes.GetValueOrDefault(user);

    /// <summary>The cost of a bcrypt hash (<c>$2b$12$...</c> → 12); 10 when unreadable.</summary>
    internal static int CostOf(string hash) =>
        hash.Length > 6 && int.TryParse(hash.AsSpan(4, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int cost) && cost is >= 4 and <= 31
            ? cost
            : 10;

    public void Dispose() => _slots.Dispose();
}
