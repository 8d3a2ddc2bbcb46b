using ProcessMaster.Cli;

namespace ProcessMaster.Rpc.Tests.Cli;

/// <summary>
/// pmctl builds only the invoked command's subtree when the verb is certain before parsing; anything it cannot
/// place builds the whole tree, so parsing, help and errors are the same either way.
/// </summary>
public class InvokedVerbTests
{
    [Theory]
    [InlineData("status", "status")]
    [InlineData("status|web|--format|json", "status")]
    [InlineData("-s|/tmp/pm.sock|restart|web", "restart")]
    [InlineData("--sock=/tmp/pm.sock|logs|-f|web", "logs")]
    [InlineData("-c|/etc/pm.yaml|--timeout|5|--daemon-uid|999|stop|web", "stop")]
    [InlineData("--config:/etc/pm.yaml|admin-run|hello", "admin-run")]
    [InlineData("password|generate", "password")]
    public void KnownVerb_IsFound(string args, string verb) => Assert.Equal(verb, Pmctl.InvokedVerb(args.Split('|')));

    [Theory]
    [InlineData("")]
    [InlineData("--help")]
    [InlineData("-h|status")]
    [InlineData("--version")]
    [InlineData("[suggest:9]|pmctl st")]
    [InlineData("@args.rsp")]
    [InlineData("nope")]
    [InlineData("STATUS")]
    [InlineData("-s")]
    [InlineData("--bogus|status")]
    public void Anything_Else_BuildsTheWholeTree(string args) =>
        Assert.Null(Pmctl.InvokedVerb(args.Length == 0 ? [] : args.Split('|')));
}
