using System.Diagnostics;
using System.Runtime.CompilerServices;
using ProcessMaster.Core.Logs;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Logs;

using System.Runtime.Versioning;

namespace ProcessMaster.Linux.Tests.Logs;

/// <summary>
/// Test-only entry: when <see cref="Variable"/> is set, this test executable does not run tests but a log
/// capture (runtime dir, FIFO name, working dir, log path separated by '|') until it is killed, so tests can
/// SIGKILL a real capture process. It prints "ready" once capturing.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class CaptureProbe
{
    public const string Variable = "PM_TEST_LOG_CAPTURE";

    [ModuleInitializer]
    internal static void RunIfAsked()
    {
        string? spec = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(spec)) return;
        string[] parts = spec.Split('|');
        using ConfinedDirectory runtime = LogFifo.OpenRuntimeDirectory(parts[0]);
        using LogFifo fifo = LogFifo.OpenOrCreate(runtime, parts[1]);
        var options = new LogCaptureOptions("probe", parts[2], LogScratch.Parse(parts[3]), LogRotationSettings.BySize(0, 0, compress: false));
        using var loop = new LogCaptureLoop();
        using LogCapture capture = loop.Start(fifo, options, e => Console.Error.WriteLine(e.Message));
        Console.WriteLine("ready");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Starts this executable as a capture process and waits for it to say it is ready.</summary>
    public static Process Start(LogScratch scratch, string fifoName, string logPath)
    {
        string self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(CaptureProbe).Assembly.Location);
        info.Environment[Variable] = string.Join('|', Path.Combine(scratch.Root, "run"), fifoName, scratch.Work, logPath);
        Process process = Process.Start(info)!;
        scratch.Track(process);
        string? line = process.StandardOutput.ReadLine();
        Assert.Equal("ready", line);
        return process;
    }
}
