using ProcessMaster.Testing;

namespace ProcessMaster.Browser.Tests;

/// <summary>Service definitions the browser tests run.</summary>
internal static class Services
{
    /// <summary>A long-running service that does nothing.</summary>
    public static void Sleeper(DaemonInstance daemon, string name = "sleeper") => daemon.WriteService(name, $"""
        process:
          working_directory: {daemon.WorkDir(name)}
          start_command: ["/bin/sleep", "100000"]
        """);

    /// <summary>A service that uses a little cpu in bursts (for the resource view's sparkline).</summary>
    public static void Busy(DaemonInstance daemon, string name = "busy") => daemon.WriteService(name, $$"""
        process:
          working_directory: {{daemon.WorkDir(name)}}
          start_command: ["/bin/sh", "-c", "while true; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 0.3; done"]
        """);

    /// <summary>
    /// A service that prints "started", then echoes every line written into the FIFO <c>input</c> of its working
    /// directory (so a test decides exactly when a new log line appears).
    /// </summary>
    public static string Echoer(DaemonInstance daemon, string name = "echoer")
    {
        string dir = daemon.WorkDir(name);
        string fifo = Path.Combine(dir, "input");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) mk.WaitForExit();
        daemon.WriteService(name, $"""
            process:
              working_directory: {dir}
              start_command: ["/bin/sh", "-c", "echo started; while true; do cat {fifo}; done"]
            """);
        return fifo;
    }

    /// <summary>The admin action <c>slow-action</c> ("Slow action"): <c>sleep 120</c>.</summary>
    public const string SlowAction = """

        admin_actions:
          slow-action:
            label: Slow action
            command: ["/bin/sleep", "120"]
        """;
}
