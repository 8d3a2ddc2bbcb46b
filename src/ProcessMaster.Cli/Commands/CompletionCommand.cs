using System.CommandLine;

namespace ProcessMaster.Cli.Commands;

/// <summary>
/// <c>pmctl completion bash|zsh|fish</c>: prints a shell script that asks pmctl itself for completions through
/// System.CommandLine's <c>[suggest:POSITION]</c> directive, so completions always match this binary's commands.
/// </summary>
internal static class CompletionCommand
{
    public const string Bash = """
        # pmctl bash completion: eval "$(pmctl completion bash)"  (or save it in /etc/bash_completion.d/pmctl)
        _pmctl_complete() {
          local IFS=$'\n'
          COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _pmctl_complete pmctl
        """;

    public const string Zsh = """
        # pmctl zsh completion: eval "$(pmctl completion zsh)"  (or put it in a file on $fpath named _pmctl)
        _pmctl() {
          local -a suggestions
          suggestions=("${(@f)$(pmctl "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
          compadd -a suggestions
        }
        compdef _pmctl pmctl
        """;

    public const string Fish = """
        # pmctl fish completion: pmctl completion fish > ~/.config/fish/completions/pmctl.fish
        function __pmctl_complete
            set -l line (commandline -cp)
            pmctl "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        complete -c pmctl -f -a '(__pmctl_complete)'
        """;

    public static Command Build()
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or fish." };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", CommandText.Describe(
            "Print a shell completion script for pmctl.",
            "eval \"$(pmctl completion bash)\"", "pmctl completion zsh > \"${fpath[1]}/_pmctl\"", "pmctl completion fish > ~/.config/fish/completions/pmctl.fish"))
        {
            shell,
        };
        command.SetAction(parsed =>
        {
            parsed.InvocationConfiguration.Output.WriteLine(parsed.GetValue(shell) switch { "zsh" => Zsh, "fish" => Fish, _ => Bash });
            return 0;
        });
        return command;
    }
}
