using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Config.Parsing;

namespace ProcessMaster.Core.Config;

/// <summary>
/// Where a definition's provisioning may act (audit N-01). Provisioning runs as root, so:
/// <list type="bullet">
/// <item>its targets are confined to the working directory, unless the master configuration opts in
/// (<c>global.allow_provisioning_outside_working_directory: true</c>);</item>
/// <item>it never makes the definition file, or a directory holding it, writable by anyone but root: no
/// <c>ownership.owner</c> other than root and no group/other write bit on them. Otherwise the service user could
/// rewrite its own definition and name any user, root included.</item>
/// </list>
/// The check is lexical (pure); at apply time the provisioner walks from the working directory without following
/// symlinks, so no link can lead a confined target out.
/// </summary>
/// <param name="DefinitionFile">The definition's file (absolute).</param>
/// <param name="WorkingDirectory">The resolved working directory.</param>
/// <param name="AllowOutside">The master configuration's opt-in for targets outside the working directory.</param>
internal readonly record struct ProvisioningScope(string DefinitionFile, string WorkingDirectory, bool AllowOutside)
{
    private const int GroupOrOtherWrite = 0b000_010_010;

    /// <summary>What is wrong with <paramref name="entry"/> (its target already resolved), as (problem, fix); null when nothing.</summary>
    public (string Problem, string Fix)? Check(ProvisioningEntry entry)
    {
        if (!AllowOutside && !LexicalPath.IsInside(WorkingDirectory, entry.Path))
        {
            return ($"{entry.Path} is outside the working directory {WorkingDirectory}; provisioning runs as root and is confined to the working directory",
                "use a path under the working directory, or allow it for every definition with global.allow_provisioning_outside_working_directory: true in the master configuration");
        }

        string definitionDirectory = Path.GetDirectoryName(LexicalPath.Normalize(DefinitionFile)) ?? "/";
        bool coversDefinition = entry.Path == LexicalPath.Normalize(DefinitionFile) || LexicalPath.IsInside(entry.Path, definitionDirectory);
        if (!coversDefinition)
        {
            return null;
        }

        string? opens = entry.Owner is { } owner && owner is not ("root" or "0") ? $"ownership.owner {owner}"
            : entry.Mode is { } mode && (mode.Value & GroupOrOtherWrite) != 0 ? $"mode {mode}"
            : null;
        return opens is null ? null
            : ($"{entry.Path} holds the definition {DefinitionFile}, and {opens} would let someone other than root rewrite it (and so run anything as any user)",
                $"give the service a subdirectory of its own instead (e.g. path: ./data), and keep {definitionDirectory} owned by root and not writable by group or others");
    }
}
