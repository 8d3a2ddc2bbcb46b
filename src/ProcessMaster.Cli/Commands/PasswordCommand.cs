using System.CommandLine;
using System.Security.Cryptography;
using System.Text;

namespace ProcessMaster.Cli.Commands;

/// <summary>
/// <c>pmctl password generate|verify</c>: bcrypt htpasswd entries for <c>web_console</c> users, locally (no daemon).
/// The password comes from stdin (prompted without echo on a terminal) when <c>--password</c> has no value or <c>-</c>.
/// </summary>
internal static class PasswordCommand
{
    /// <summary>bcrypt cost when --cost is not given (one verify ≈ 80 ms under AOT).</summary>
    public const int DefaultCost = 10;

    public static Command Build(CliContext ctx)
    {
        var command = new Command("password", CommandText.Describe(
            "Make or check bcrypt htpasswd entries (user:hash) for the web console's users file.",
            "pmctl password generate --user alice --password            (prompts, or reads a line from stdin)",
            "echo -n 'secret' | pmctl password generate --user alice --password -",
            "pmctl password verify --secure 'alice:$2a$10$...' --user alice --password"));
        command.Subcommands.Add(BuildGenerate(ctx));
        command.Subcommands.Add(BuildVerify(ctx));
        return command;
    }

    private static Option<string?> PasswordOption() => new("--password")
    {
        Description = "The password; without a value (or '-') it is read from stdin. A value on the command line is visible to other users (ps).",
        Arity = ArgumentArity.ZeroOrOne,
        Required = true,
        HelpName = "PASSWORD",
    };

    private static Option<string> UserOption() => new("--user") { Description = "The user name.", Required = true, HelpName = "USER" };

    private static Command BuildGenerate(CliContext ctx)
    {
        Option<string> user = UserOption();
        Option<string?> password = PasswordOption();
        var cost = new Option<int>("--cost") { Description = "bcrypt cost, 4..31 (default 10).", DefaultValueFactory = _ => DefaultCost, HelpName = "N" };
        cost.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 4 or > 31) r.AddError("--cost must be between 4 and 31"); });
        var command = new Command("generate", CommandText.Describe("Print USER:BCRYPT_HASH for an htpasswd file.",
            "pmctl password generate --user alice --password"))
        {
            user,
            password,
            cost,
        };
        command.SetAction(parsed =>
        {
            string name = parsed.GetValue(user)!.Trim();
            if (name.Length == 0) return ctx.Fail("user must not be empty");
            if (name.Contains(':', StringComparison.Ordinal)) return ctx.Fail("user must not contain ':'");
            if (!TryReadPassword(ctx, parsed.GetValue(password), out string secret, out string? error)) return ctx.Fail(error!);
            ctx.Console.Out.WriteLine($"{name}:{BCrypt.Net.BCrypt.HashPassword(secret, parsed.GetValue(cost))}");
            return 0;
        });
        return command;
    }

    private static Command BuildVerify(CliContext ctx)
    {
        var secure = new Option<string>("--secure") { Description = "The htpasswd entry USER:HASH to check against.", Required = true, HelpName = "ENTRY" };
        Option<string> user = UserOption();
        Option<string?> password = PasswordOption();
        var command = new Command("verify", CommandText.Describe("Check a user and password against an htpasswd entry: prints OK (exit 0) or FAIL on stderr (exit 1).",
            "pmctl password verify --secure 'alice:$2y$10$...' --user alice --password"))
        {
            secure,
            user,
            password,
        };
        command.SetAction(parsed =>
        {
            if (!TryReadPassword(ctx, parsed.GetValue(password), out string secret, out string? error)) return ctx.Fail(error!);
            string entry = parsed.GetValue(secure)!.Trim();
            int colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) return ctx.Fail("invalid --secure entry: expected 'user:hash'");
            string entryUser = entry[..colon].Trim();
            string hash = entry[(colon + 1)..].Trim();
            if (entryUser.Length == 0) return ctx.Fail("invalid --secure entry (empty username)");
            if (hash.Length == 0) return ctx.Fail("invalid --secure entry (empty hash)");
            string name = parsed.GetValue(user)!.Trim();
            if (name.Length == 0) return ctx.Fail("--user must not be empty");

            bool passwordOk = Verify(secret, hash);
            bool userOk = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(entryUser));
            if (passwordOk && userOk)
            {
                ctx.Console.Out.WriteLine("OK");
                return 0;
            }
            ctx.Console.Error.WriteLine("FAIL");
            return 1;
        });
        return command;
    }

    /// <summary>bcrypt verify with <c>$2y$</c> read as <c>$2a$</c>; a malformed hash is a mismatch.</summary>
    public static bool Verify(string password, string hash)
    {
        if (hash.StartsWith("$2y$", StringComparison.Ordinal)) hash = "$2a$" + hash[4..];
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (Exception e) when (e is BCrypt.Net.SaltParseException or ArgumentException)
        {
            return false;
        }
    }

    private static bool TryReadPassword(CliContext ctx, string? value, out string password, out string? error)
    {
        error = null;
        if (value is not null && value.Trim() != "-")
        {
            ctx.Console.Error.WriteLine("pmctl: warning: a password on the command line is visible to other users (ps, shell history); prefer --password without a value");
            password = value;
            return true;
        }
        string? line;
        if (ctx.Console.InputIsTerminal && ctx.Console.ReadSecret is { } readSecret)
        {
            ctx.Console.Error.Write("Password: ");
            line = readSecret();
            ctx.Console.Error.WriteLine();
        }
        else
        {
            line = ctx.Console.In.ReadLine();
        }
        password = (line ?? "").TrimEnd('\r', '\n');
        if (password.Length > 0) return true;
        error = "password read from stdin is empty";
        return false;
    }
}
