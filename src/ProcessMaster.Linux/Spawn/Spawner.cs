using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace ProcessMaster.Linux.Spawn;

/// <summary>
/// Starts programs race-free through the spawn shim: <c>Process.Start(ShimPath, "__spawn")</c>, the spec on the
/// shim's stdin, the shim's stdout as the report pipe (EOF = exec succeeded; a JSON report = why not). No managed
/// code ever runs in a forked child. The pid does not change across exec, so the returned
/// <see cref="Process"/> gives the exit status and .NET reaps the child.
/// </summary>
public sealed class Spawner
{
    private readonly ChildProcessRegistry _children;

    /// <summary>Creates a spawner that registers its children in <paramref name="children"/> (shared with the <see cref="OrphanReaper"/>).</summary>
    public Spawner(ChildProcessRegistry children) => _children = children;

    /// <summary>The executable that runs <see cref="SpawnShim"/> for <c>__spawn</c>: the daemon's own binary by default; tests point it at the built <c>processmaster</c>.</summary>
    public string ShimPath { get; init; } = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the running executable is unknown; set ShimPath");

    /// <summary>Spawns and blocks until the child has exec'd or failed (the time of one shim start: ~5 ms AOT, ~60 ms JIT). Run it off the supervision loop.</summary>
    public SpawnResult Spawn(SpawnRequest request)
    {
        if (!TryStart(request, out Process? process, out SpawnResult.Failed? failed))
        {
            return failed;
        }

        string report;
        try
        {
            report = process.StandardOutput.ReadToEnd();
        }
        finally
        {
            process.StandardOutput.Dispose();
        }

        if (report.Length == 0)
        {
            return new SpawnResult.Started(process.Id, process);
        }

        process.WaitForExit();
        process.Dispose();
        return ToFailure(request, report);
    }

    /// <summary>
    /// Like <see cref="Spawn"/>, awaiting the report pipe instead of blocking a thread. Cancellation is honoured
    /// only before the shim starts: once it runs, the outcome is awaited (milliseconds) so a started child is never
    /// lost.
    /// </summary>
    public async Task<SpawnResult> SpawnAsync(SpawnRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryStart(request, out Process? process, out SpawnResult.Failed? failed))
        {
            return failed;
        }

        string report;
        try
        {
            report = await process.StandardOutput.ReadToEndAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            process.StandardOutput.Dispose();
        }

        if (report.Length == 0)
        {
            return new SpawnResult.Started(process.Id, process);
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        process.Dispose();
        return ToFailure(request, report);
    }

    private bool TryStart(SpawnRequest request, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Process? process, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out SpawnResult.Failed? failed)
    {
        byte[] spec = JsonSerializer.SerializeToUtf8Bytes(ToSpec(request), SpawnJsonContext.Default.SpawnSpec);
        var startInfo = new ProcessStartInfo(ShimPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        startInfo.ArgumentList.Add(SpawnShim.Verb);
        try
        {
            process = _children.Start(startInfo);
        }
        catch (Win32Exception e)
        {
            process = null;
            failed = new SpawnResult.Failed("start shim", (Errno)e.NativeErrorCode, ShimPath,
                $"{request.Subject}: spawn failed: cannot start the spawn shim {ShimPath}: {e.Message}");
            return false;
        }

        try
        {
            using Stream stdin = process.StandardInput.BaseStream;
            stdin.Write(spec);
        }
        catch (IOException)
        {
            // The shim died before reading its spec; its report (or EOF and exit code) tells the rest.
        }

        failed = null;
        return true;
    }

    private static SpawnResult.Failed ToFailure(SpawnRequest request, string report)
    {
        ShimReport? parsed = null;
        try
        {
            parsed = JsonSerializer.Deserialize(report, SpawnJsonContext.Default.ShimReport);
        }
        catch (JsonException)
        {
        }

        return parsed is null
            ? new SpawnResult.Failed("shim", Errno.None, null, $"{request.Subject}: spawn failed: unreadable report from the spawn shim: {report}")
            : new SpawnResult.Failed(parsed.Step, (Errno)parsed.Errno, parsed.Path, $"{request.Subject}: spawn failed: {parsed.Message}");
    }

    private static SpawnSpec ToSpec(SpawnRequest r)
    {
        if (!Path.IsPathFullyQualified(r.WorkingDirectory))
        {
            throw new ArgumentException($"working directory \"{r.WorkingDirectory}\" is not absolute", nameof(r));
        }

        if (r.Stdout.Kind == SpawnOutputKind.SameAsStdout)
        {
            throw new ArgumentException("stdout cannot be SameAsStdout", nameof(r));
        }

        return new SpawnSpec
        {
            Program = r.Program,
            Argv = [r.Argv0 ?? r.Program, .. r.Arguments],
            WorkingDirectory = r.WorkingDirectory,
            Environment = [.. r.Environment],
            CgroupProcsPath = r.CgroupPath is null ? null : r.CgroupPath + "/" + Cgroups.CgroupNode.ProcsFile,
            Uid = r.Credentials?.Uid,
            Gid = r.Credentials?.Gid,
            Groups = r.Credentials is null ? null : [.. r.Credentials.Groups],
            StdoutKind = r.Stdout.Kind,
            StdoutPath = r.Stdout.Path,
            StderrKind = r.Stderr.Kind,
            StderrPath = r.Stderr.Path,
        };
    }
}
