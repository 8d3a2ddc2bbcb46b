using System.Runtime.Versioning;
using ProcessMaster.Rpc.Tests.Support;
using ProcessMaster.Testing;

namespace ProcessMaster.Rpc.Tests.Cli;

[SupportedOSPlatform("linux")]
public class PasswordCommandTests
{
    [Fact]
    public async Task Generate_FromStdin_VerifiesOk()
    {
        CommandResult generated = await PmctlHarness.RunWithAsync(["password", "generate", "--user", " bob ", "--password", "--cost", "4"], stdin: "s3cret\n");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        string entry = generated.Stdout.Trim();
        Assert.StartsWith("bob:$2a$04$", entry, StringComparison.Ordinal);
        CommandResult ok = await PmctlHarness.RunWithAsync(["password", "verify", "--secure", entry, "--user", "bob", "--password", "-"], stdin: "s3cret\n");
        Assert.Equal("OK\n", ok.Stdout);
        Assert.Equal(0, ok.ExitCode);
    }

    [Fact]
    public async Task Verify_2yPrefix_Normalized()
    {
        // Made with libxcrypt independently of BCrypt.Net (dotnet-feasibility.md §3): password "admin".
        const string hash = "$2y$10$abcdefghijklmnopqrstuuQaLxbHNyOkst.5hok/MxsNYsoRyHiAq";
        CommandResult ok = await PmctlHarness.RunWithAsync(["password", "verify", "--secure", "admin:" + hash, "--user", "admin", "--password"], stdin: "admin\n");
        Assert.Equal("OK\n", ok.Stdout);
    }

    [Theory]
    [InlineData("admin", "wrong")]
    [InlineData("root", "admin")]
    public async Task Verify_WrongUserOrPassword_FailExit1(string user, string password)
    {
        const string entry = "admin:$2a$10$abcdefghijklmnopqrstuuQaLxbHNyOkst.5hok/MxsNYsoRyHiAq";
        CommandResult run = await PmctlHarness.RunWithAsync(["password", "verify", "--secure", entry, "--user", user, "--password"], stdin: password + "\n");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("FAIL\n", run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Theory]
    [InlineData(new[] { "password", "generate", "--user", "bob", "--password" }, "", "Error: password read from stdin is empty\n")]
    [InlineData(new[] { "password", "generate", "--user", "a:b", "--password" }, "x\n", "Error: user must not contain ':'\n")]
    [InlineData(new[] { "password", "generate", "--user", " ", "--password" }, "x\n", "Error: user must not be empty\n")]
    [InlineData(new[] { "password", "verify", "--secure", "bob", "--user", "bob", "--password" }, "x\n", "Error: invalid --secure entry: expected 'user:hash'\n")]
    [InlineData(new[] { "password", "verify", "--secure", ":h", "--user", "bob", "--password" }, "x\n", "Error: invalid --secure entry (empty username)\n")]
    [InlineData(new[] { "password", "verify", "--secure", "bob: ", "--user", "bob", "--password" }, "x\n", "Error: invalid --secure entry (empty hash)\n")]
    public async Task BadInput_Exit1WithOriginalText(string[] args, string stdin, string error)
    {
        CommandResult run = await PmctlHarness.RunWithAsync(args, stdin: stdin);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(error, run.Stderr);
    }

    [Fact]
    public async Task PasswordOnCommandLine_WarnsAboutArgv()
    {
        CommandResult run = await PmctlHarness.RunWithAsync(["password", "generate", "--user", "bob", "--password", "pw", "--cost", "4"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("visible to other users", run.Stderr, StringComparison.Ordinal);
    }
}
