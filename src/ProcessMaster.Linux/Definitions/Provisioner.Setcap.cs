using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ProcessMaster.Linux.Files;

namespace ProcessMaster.Linux.Definitions;

/// <summary><c>setcap cap_net_bind_service=+ep</c> through the child registry, confined to the directory already opened.</summary>
public sealed partial class Provisioner
{
    private const string Capability = "cap_net_bind_service=+ep";

    private bool TryFindSetcap(int index, out string error)
    {
        _setcap = _options.SetcapCandidates.FirstOrDefault(File.Exists);
        error = _setcap is null
            ? FailureText(index, $"setcap not found (looked for {string.Join(", ", _options.SetcapCandidates)})",
                "install the libcap2-bin package (apt-get install libcap2-bin), or remove add_net_bind_capability")
            : "";
        return _setcap is not null;
    }

    /// <summary>
    /// Runs setcap on <paramref name="leaf"/> with its working directory set to <paramref name="parent"/>'s fd
    /// (<c>/proc/PID/fd/N</c>), so no component above the file is resolved by name again. setcap itself refuses
    /// a symlink or non-regular file (libcap lstat-checks the name before writing the attribute).
    /// </summary>
    private void RunSetcap(ConfinedDirectory parent, string leaf, string target)
    {
        string command = $"setcap {Capability} {target}";
        var output = new StringBuilder();
        bool added = false;
        try
        {
            parent.Handle.DangerousAddRef(ref added);
            string fd = parent.Handle.Fd.ToString(CultureInfo.InvariantCulture);
            var info = new ProcessStartInfo(_setcap!)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = $"/proc/{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}/fd/{fd}",
            };
            info.ArgumentList.Add(Capability);
            info.ArgumentList.Add("./" + leaf);
            info.Environment.Clear();
            info.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
            info.Environment["LC_ALL"] = "C";
            using Process process = _children.Start(info);
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(_options.SetcapTimeout))
            {
                process.Kill();
                process.WaitForExit();
                throw new EntryFailure($"{command} did not finish within {_options.SetcapTimeout.TotalSeconds:0.###} s and was killed",
                    "check that the file system holding it is responsive");
            }

            process.WaitForExit(); // flushes the redirected output
            if (process.ExitCode != 0)
            {
                string said;
                lock (output)
                {
                    said = output.ToString().Trim();
                }

                throw new EntryFailure($"{command} failed with exit code {process.ExitCode}: {(said.Length == 0 ? "no output" : said)}",
                    "the file must be a regular file on a file system with extended attributes (security.capability)");
            }
        }
        catch (Win32Exception e)
        {
            throw new EntryFailure($"{command} could not be started: {e.Message}", $"check that {_setcap} is an executable");
        }
        finally
        {
            if (added) parent.Handle.DangerousRelease();
        }

        _actions.Add(command);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output)
        {
            if (output.Length < 4096) output.Append(line).Append(' ');
        }
    }
}
