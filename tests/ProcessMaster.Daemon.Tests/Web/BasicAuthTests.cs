using System.Text;
using Microsoft.Extensions.Time.Testing;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Web.Auth;

namespace ProcessMaster.Daemon.Tests.Web;

/// <summary>The console's authentication primitives: header parsing, the verification cache, bcrypt checks, failure logging.</summary>
public sealed class BasicAuthTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Theory]
    [InlineData(null, BasicCredentials.Missing)]
    [InlineData("", BasicCredentials.Missing)]
    [InlineData("Basic é", BasicCredentials.NotAscii)]
    [InlineData("Bearer abc", BasicCredentials.NotBasic)]
    [InlineData("Basic !!!", BasicCredentials.BadBase64)]
    [InlineData("Basic bm9jb2xvbg==", BasicCredentials.NoColon)]
    [InlineData("Basic b3D/Ong=", BasicCredentials.BadUtf8)]
    public void TryParse_BadHeader_SaysWhy(string? header, string failure)
    {
        Assert.Null(BasicCredentials.TryParse(header, out string? why));
        Assert.Equal(failure, why);
    }

    [Fact]
    public void TryParse_SplitsAtTheFirstColon_AndAcceptsAnyCaseOfTheScheme()
    {
        using BasicCredentials? c = BasicCredentials.TryParse("basic " + B64("ops:s3cret!:x"), out _);
        Assert.NotNull(c);
        Assert.Equal("ops", c.User);
        Assert.Equal("s3cret!:x", Encoding.UTF8.GetString(c.Password));
    }

    [Fact]
    public async Task Verify_Y2Hash_WrongPassword_UnknownUser_AndTheCacheNeedsTheSameHeader()
    {
        string hash = BCrypt.Net.BCrypt.HashPassword("pw", 4).Replace("$2a$", "$2y$", StringComparison.Ordinal);
        using var verifier = new PasswordVerifier([new BasicAuthUser("ops", hash)], TimeProvider.System);
        Assert.Equal("ops", (await verifier.VerifyAsync("Basic " + B64("ops:pw"), CancellationToken.None)).User);
        Assert.Equal("ops", (await verifier.VerifyAsync("Basic " + B64("ops:pw"), CancellationToken.None)).User);
        AuthOutcome wrong = await verifier.VerifyAsync("Basic " + B64("ops:pW"), CancellationToken.None);
        Assert.Equal((null, BasicCredentials.Invalid, "ops"), (wrong.User, wrong.Failure, wrong.Claimed));
        AuthOutcome unknown = await verifier.VerifyAsync("Basic " + B64("nobody:pw"), CancellationToken.None);
        Assert.Equal((null, BasicCredentials.Invalid, (string?)null), (unknown.User, unknown.Failure, unknown.Claimed));
    }

    [Fact]
    public void Cache_HitsOnlyWithinItsLifetime_AndWhileTheHashIsUnchanged()
    {
        var time = new FakeTimeProvider();
        var cache = new VerifiedCredentialCache(time);
        string hash = "$2b$04$abc";
        cache.Remember("Basic x", "ops", hash);
        Assert.Equal("ops", cache.Lookup("Basic x", _ => hash));
        Assert.Null(cache.Lookup("Basic y", _ => hash));
        Assert.Null(cache.Lookup("Basic x", _ => "$2b$04$changed"));
        cache.Remember("Basic x", "ops", hash);
        time.Advance(VerifiedCredentialCache.Lifetime);
        Assert.Null(cache.Lookup("Basic x", _ => hash));
    }

    [Fact]
    public void Cache_IsBounded_OldestFirst()
    {
        var cache = new VerifiedCredentialCache(new FakeTimeProvider());
        for (int i = 0; i <= VerifiedCredentialCache.Capacity; i++) cache.Remember($"Basic {i}", "ops", "h");
        Assert.Equal(VerifiedCredentialCache.Capacity, cache.Count);
        Assert.Null(cache.Lookup("Basic 0", _ => "h"));
        Assert.Equal("ops", cache.Lookup($"Basic {VerifiedCredentialCache.Capacity}", _ => "h"));
    }

    [Fact]
    public void FailureLog_BurstThenOnePerQuietPeriodWithTheSuppressedCount()
    {
        var time = new FakeTimeProvider();
        var journal = new EventJournal(time);
        var log = new LoginFailureLog(journal, time);
        for (int i = 0; i < 5; i++) log.Record("10.0.0.5", "ops", "invalid credentials");
        log.Record("10.0.0.6", null, "invalid credentials");
        Assert.Equal(4, journal.Last(100).Count);
        Assert.Contains(journal.Last(100), e => e.Message == "auth_failure ip=10.0.0.6 user=- reason=invalid credentials suppressed_since_last=0");
        time.Advance(LoginFailureLog.Quiet);
        log.Record("10.0.0.5", "ops", "invalid credentials");
        Assert.Equal("auth_failure ip=10.0.0.5 user=ops reason=invalid credentials suppressed_since_last=2", journal.Last(1)[0].Message);
    }

    [Theory]
    [InlineData("$2b$12$abcdefghijklmnopqrstuu", 12)]
    [InlineData("$2a$04$abcdefghijklmnopqrstuu", 4)]
    [InlineData("garbage", 10)]
    public void CostOf_ReadsTheHashCost(string hash, int cost) => Assert.Equal(cost, PasswordVerifier.CostOf(hash));
}
