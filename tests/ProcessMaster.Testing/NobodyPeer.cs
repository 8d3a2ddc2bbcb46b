using System.Diagnostics;
using System.Text.Json;
using ProcessMaster.Protocol;

namespace ProcessMaster.Testing;

/// <summary>
/// A unix-socket peer that runs as <c>nobody</c> (uid 65534), so the daemon and pmctl see another user through
/// <c>SO_PEERCRED</c>: a small perl program (perl-base is Essential on Debian) started with <c>setpriv</c>. It
/// reports on stdout what it did, and holds its sockets until disposed (killed).
/// </summary>
public sealed class NobodyPeer : IAsyncDisposable
{
    /// <summary>nobody's uid.</summary>
    public const int Uid = 65534;

    private const string HoldScript = """
        use strict; use warnings; use IO::Socket::UNIX; use Socket;
        $| = 1; $SIG{PIPE} = 'IGNORE';
        my ($path, $count, $hello, $pad) = @ARGV;
        my (@held, $first); my $refused = 0;
        for (1 .. $count) {
            my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path);
            if (!$s) { $refused++; $first //= "connect: $!"; next; }
            print $s "$hello\n";
            my $reply = <$s>;
            if (!defined $reply || $reply !~ /"result"/) { $refused++; $first //= $reply // "closed"; close $s; next; }
            print $s ("{" . ("x" x $pad)) if $pad;
            push @held, $s;
        }
        $first //= ""; chomp $first;
        print "held " . scalar(@held) . " refused $refused first: $first\n";
        sleep 3600;
        """;

    private const string ListenScript = """
        use strict; use warnings; use IO::Socket::UNIX; use Socket;
        $| = 1; $SIG{PIPE} = 'IGNORE';
        my ($path) = @ARGV;
        my $l = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $path, Listen => 16) or die "listen $path: $!";
        print "listening\n";
        my @keep;
        while (my $c = $l->accept) { push @keep, $c; }
        """;

    private readonly Process _process;

    private NobodyPeer(Process process) => _process = process;

    /// <summary>The peer's pid.</summary>
    public int Pid => _process.Id;

    /// <summary>
    /// Opens <paramref name="count"/> connections to <paramref name="socketPath"/>, handshakes each with this build's
    /// stamp, optionally sends <paramref name="pad"/> bytes of an unfinished line on each, and holds them. The first
    /// line it prints is <c>held H refused R first: REPLY</c> (REPLY: the first refusal the daemon sent).
    /// </summary>
    public static NobodyPeer HoldConnections(string socketPath, int count, int pad = 0)
    {
        string hello = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"handshake\",\"params\":{\"build_host\":" +
                       JsonSerializer.Serialize(BuildInfo.Host, ProtocolJsonContext.Default.String) + ",\"build_time\":" +
                       JsonSerializer.Serialize(BuildInfo.Time, ProtocolJsonContext.Default.String) + ",\"client\":\"nobody-peer\"}}";
        return Start(HoldScript, socketPath, count.ToString(System.Globalization.CultureInfo.InvariantCulture), hello,
            pad.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Listens on <paramref name="socketPath"/> (which nobody must be able to create) and accepts clients without ever answering; prints <c>listening</c> once bound.</summary>
    public static NobodyPeer ListenSilently(string socketPath) => Start(ListenScript, socketPath);

    /// <summary>A directory anyone may write, as /tmp (mode 1777), under a fresh temp directory (0755).</summary>
    public static string CreateSharedDirectory()
    {
        string root = Directory.CreateTempSubdirectory("pm-shared-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        string shared = Path.Combine(root, "tmp");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0b1_111_111_111);
        return shared;
    }

    /// <summary>The next line the peer printed; fails with what it printed on stderr when it ends first.</summary>
    public async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        string? line;
        try
        {
            line = await _process.StandardOutput.ReadLineAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the nobody peer printed nothing within {timeout}");
        }
        return line ?? throw new InvalidOperationException($"the nobody peer ended: {await _process.StandardError.ReadToEndAsync()}");
    }

    private static NobodyPeer Start(string script, params string[] arguments)
    {
        var info = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (string a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/perl", "-e", script }) info.ArgumentList.Add(a);
        foreach (string a in arguments) info.ArgumentList.Add(a);
        return new NobodyPeer(Process.Start(info) ?? throw new InvalidOperationException("could not start setpriv"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
