using System.Net;
using System.Net.Sockets;
using ProcessMaster.Core.Config.FileModel;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Parsing;
using ProcessMaster.Core.Config.Values;

namespace ProcessMaster.Core.Config;

public static partial class MasterConfigParser
{
    private const string PasswordFix = "generate entries with `pmctl password generate` (htpasswd -nbB also works)";

    private static WebConsoleSettings ReadWebConsole(WebConsoleSection? s, string baseDir, ConfigDiagnostics d)
    {
        s ??= new WebConsoleSection();
        bool enabled = s.Enabled ?? false;
        IPAddress bind = ReadBind(s.Bind, d);
        if (s.Port > ushort.MaxValue)
        {
            d.At("web_console.port", $"port {s.Port} is out of range", "use a TCP port between 1 and 65535 (0 picks a free port)");
        }

        TlsSettings tls = ReadTls(s.Tls, baseDir, enabled, d);
        ValueList<BasicAuthUser> users = ReadUsers(s.Auth, d);
        var settings = new WebConsoleSettings(enabled, bind, s.Port is ulong p and <= ushort.MaxValue ? (int)p : 9001, s.AllowPlaintextRemote ?? false, tls, users)
        {
            MetricsAuth = s.MetricsAuth ?? false,
            IdleStop = ReadIdleStop(s.IdleStop, d),
        };
        if (enabled && users.Count == 0)
        {
            d.At("web_console.auth.basic.users", "web_console.enabled=true but web_console.auth.basic.users is empty",
                "add at least one \"user:bcrypt-hash\" entry; " + PasswordFix);
        }

        // Default (or otherwise well-known) credentials off loopback are refused when the console starts, not here: the
        // daemon keeps supervising and the refusal is an event and a line in `pmctl status` (Web/WebConsole.cs).
        return settings;
    }

    private static TimeSpan? ReadIdleStop(string? text, ConfigDiagnostics d)
    {
        const string path = "web_console.idle_stop";
        const string fix = "write a duration such as 2m or 30s (at least 1s), or never to keep the HTTP server running once started";
        if (text is null)
        {
            return WebConsoleSettings.DefaultIdleStop;
        }

        Duration? stop = ValueReader.Parse<Duration?>(d, path, text, Duration.TryParseOrNever, Duration.FromMilliseconds((long)WebConsoleSettings.DefaultIdleStop.TotalMilliseconds), fix);
        if (stop is { } value && value.TimeSpan < WebConsoleSettings.MinIdleStop)
        {
            d.At(path, $"idle_stop {value} is too short", fix);
            return WebConsoleSettings.DefaultIdleStop;
        }

        return stop?.TimeSpan;
    }

    private static IPAddress ReadBind(string? text, ConfigDiagnostics d)
    {
        const string path = "web_console.bind";
        IPAddress fallback = IPAddress.Any;
        if (text is null)
        {
            return fallback;
        }

        string t = text.Trim();
        string bare = t.StartsWith('[') && t.EndsWith(']') ? t[1..^1] : t;
        bool shapeOk = bare.Contains(':') || (bare.Split('.').Length == 4 && bare.Split('.').All(p => p.Length > 0 && p.All(char.IsAsciiDigit)));
        if (bare.Length == 0 || !shapeOk || !IPAddress.TryParse(bare, out IPAddress? address)
            || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            d.At(path, bare.Length == 0 ? "bind address is empty" : $"\"{t}\" is not an IP address",
                "write an IP literal such as 127.0.0.1, 0.0.0.0, ::1 or :: (host names like localhost are not accepted)");
            return fallback;
        }

        return address;
    }

    private static TlsSettings ReadTls(TlsSection? s, string baseDir, bool consoleEnabled, ConfigDiagnostics d)
    {
        if (s is null)
        {
            return TlsSettings.Disabled;
        }

        string? File(string key, string? text)
        {
            string? v = ValueReader.NonBlank(d, "web_console.tls." + key, text, "write a PEM file path, or remove the key");
            return v is null ? null : LexicalPath.Resolve(baseDir, v);
        }

        var tls = new TlsSettings(
            s.Enabled ?? false,
            File("ca_pem", s.CaPem),
            File("server_cert_pem", s.ServerCertPem),
            File("server_key_pem", s.ServerKeyPem),
            ValueReader.NonBlank(d, "web_console.tls.client_host", s.ClientHost, "write a DNS name or IP, or remove the key"),
            s.Mtls ?? false);
        if (tls.Mtls && !tls.Enabled)
        {
            d.AtKey("web_console.tls.mtls", "web_console.tls.mtls=true requires web_console.tls.enabled=true", "set tls.enabled: true, or remove mtls");
        }

        if (consoleEnabled && tls.Enabled)
        {
            if (tls.ServerCertPem is null && !d.Index.Has("web_console.tls.server_cert_pem"))
            {
                d.At("web_console.tls.server_cert_pem", "web_console.tls.enabled=true but web_console.tls.server_cert_pem is not set",
                    "set server_cert_pem and server_key_pem (missing files are generated self-signed at start)");
            }

            if (tls.ServerKeyPem is null && !d.Index.Has("web_console.tls.server_key_pem"))
            {
                d.At("web_console.tls.server_key_pem", "web_console.tls.enabled=true but web_console.tls.server_key_pem is not set",
                    "set server_cert_pem and server_key_pem (missing files are generated self-signed at start)");
            }

            if (tls.Mtls && tls.CaPem is null && !d.Index.Has("web_console.tls.ca_pem"))
            {
                d.At("web_console.tls.ca_pem", "web_console.tls.mtls=true but web_console.tls.ca_pem is not set",
                    "set ca_pem to the CA that signs client certificates");
            }
        }

        return tls;
    }

    private static ValueList<BasicAuthUser> ReadUsers(AuthSection? auth, ConfigDiagnostics d)
    {
        if (auth?.Basic is null)
        {
            return ValueList.Of(new BasicAuthUser("admin", WebConsoleSettings.DefaultUserEntry["admin:".Length..]));
        }

        var users = new List<BasicAuthUser>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        List<string> entries = auth.Basic.Users ?? [];
        for (int i = 0; i < entries.Count; i++)
        {
            string path = NodeIndex.Item("web_console.auth.basic.users", i);
            string entry = entries[i].Trim();
            int colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                d.At(path, $"invalid entry (expected 'user:hash'): \"{entry}\"", "write user:bcrypt-hash; " + PasswordFix);
                continue;
            }

            var user = new BasicAuthUser(entry[..colon], entry[(colon + 1)..]);
            if (!user.Hash.StartsWith("$2", StringComparison.Ordinal) || user.Hash.Length < 59)
            {
                d.At(path, $"the password of \"{user.User}\" is not a bcrypt hash", "store a bcrypt hash ($2a$/$2b$/$2y$), never the password; " + PasswordFix);
                continue;
            }

            if (!names.Add(user.User))
            {
                d.At(path, $"user \"{user.User}\" is listed twice", "keep one entry per user");
                continue;
            }

            users.Add(user);
        }

        return new ValueList<BasicAuthUser>(users);
    }

    private static ValueList<AdminAction> ReadAdminActions(Dictionary<string, AdminActionSection>? actions, ConfigDiagnostics d)
    {
        var result = new List<AdminAction>();
        if (actions is null)
        {
            return new ValueList<AdminAction>(result);
        }

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string id, AdminActionSection action) in actions.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            string path = NodeIndex.Child("admin_actions", id);
            bool ok = true;
            if (id.Trim().Length == 0)
            {
                d.AtKey(path, "admin_actions: action name must not be empty", "give the action an id such as restart-web");
                ok = false;
            }
            else if (id.Trim() != id)
            {
                d.AtKey(path, $"admin_actions: action name must not have leading/trailing whitespace: \"{id}\"", "remove the spaces around the id");
                ok = false;
            }
            else if (seen.TryGetValue(id, out string? other))
            {
                d.AtKey(path, $"duplicate admin action id (case-insensitive) \"{id.ToLowerInvariant()}\" for actions \"{other}\" and \"{id}\"", "rename one of them");
                ok = false;
            }
            else
            {
                seen[id] = id;
            }

            if (action.Command is null || action.Command.Count == 0)
            {
                d.At(NodeIndex.Child(path, "command"), "command must not be empty", "give the argv as a list, e.g. [\"/bin/sh\", \"-c\", \"systemctl restart web\"]");
                ok = false;
            }
            else
            {
                ok &= ValueReader.CheckArgvSize(d, NodeIndex.Child(path, "command"), action.Command);
            }

            string? label = action.Label;
            if (label is not null && label.Trim().Length == 0)
            {
                d.At(NodeIndex.Child(path, "label"), "label must not be empty if provided", "write a label or remove the key (the id is used)");
                ok = false;
            }

            if (ok)
            {
                result.Add(new AdminAction(id, label?.Trim() ?? id, new ValueList<string>(action.Command!)));
            }
        }

        return new ValueList<AdminAction>(result);
    }
}
