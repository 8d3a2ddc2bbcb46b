using System.Net;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Metrics;

/// <summary>
/// A real scrape of <c>/metrics</c> on the console's port and the output of <c>pmctl metrics</c>, each parsed by a
/// strict Prometheus text-format parser, with every promised metric present: per service state, restarts, uptime, cpu,
/// memory and OOM kills (where the kernel offers them), log bytes written and dropped; daemon RSS, threads, fds; RPC
/// calls and latency. <c>/metrics</c> needs no credentials unless <c>web_console.metrics_auth</c>.
/// </summary>
public sealed class MetricsScrapeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static readonly string[] Families =
    [
        "processmaster_build_info", "processmaster_service_up", "processmaster_service_state",
        "processmaster_service_restarts_total", "processmaster_service_uptime_seconds", "processmaster_service_cpu_seconds_total",
        "processmaster_service_memory_bytes", "processmaster_service_oom_kills_total",
        "processmaster_service_log_written_bytes_total", "processmaster_service_log_dropped_bytes_total",
        "process_resident_memory_bytes", "process_threads", "process_open_fds", "process_cpu_seconds_total", "process_start_time_seconds",
        "processmaster_rpc_requests_total", "processmaster_rpc_request_duration_seconds",
    ];

    [Fact]
    public async Task Scrape_ParsesStrictly_AndHasEveryPromisedMetric()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml());
        daemon.WriteService("web", $$"""
            process:
              working_directory: {{daemon.WorkDir("web")}}
              start_command: ["/bin/sh", "-c", "echo hello-metrics; exec sleep 600"]
            """);
        daemon.WriteService("crasher", $$"""
            process:
              working_directory: {{daemon.WorkDir("crasher")}}
              start_command: ["/bin/sh", "-c", "sleep 0.2; exit 3"]
            restart_policy:
              policy: always
              restart_backoff_ms: 100
              tolerance:
                max_restarts: 1
                duration: 1m
            """);
        await daemon.StartAsync();
        Uri address = await ConsoleSetup.AddressAsync(daemon);
        await ServiceStatus.WaitAsync(daemon, "web", s => s.Running, Wait, "web running");
        await ServiceStatus.WaitAsync(daemon, "crasher", s => s.Phase == "FAILED", Wait, "crasher FAILED");
        string stdoutLog = Path.Combine(daemon.WorkDir("web"), "logs");
        await DaemonInstance.WaitUntilAsync(() => Directory.Exists(stdoutLog) && Directory.EnumerateFiles(stdoutLog).Any(f => File.ReadAllText(f).Contains("hello-metrics", StringComparison.Ordinal)), Wait, "web's output in its log");

        using var http = new HttpClient { Timeout = Wait };
        using HttpResponseMessage response = await http.GetAsync(new Uri(address, "/metrics"), TestContext.Current.CancellationToken);
        string scrape = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {scrape}");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        IReadOnlyDictionary<string, PromFamily> metrics = PrometheusTextParser.Parse(scrape);

        foreach (string family in Families) Assert.True(metrics.ContainsKey(family), $"{family} missing from:\n{scrape}");
        Assert.Equal(1, Value(metrics, "processmaster_service_up", ("service", "web")));
        Assert.Equal(0, Value(metrics, "processmaster_service_up", ("service", "crasher")));
        Assert.Equal(1, Value(metrics, "processmaster_service_state", ("service", "web"), ("state", "running")));
        Assert.Equal(1, Value(metrics, "processmaster_service_state", ("service", "crasher"), ("state", "failed")));
        Assert.Equal(0, Value(metrics, "processmaster_service_state", ("service", "web"), ("state", "failed")));
        Assert.Equal(1, Value(metrics, "processmaster_service_restarts_total", ("service", "crasher")));
        Assert.Equal(0, Value(metrics, "processmaster_service_restarts_total", ("service", "web")));
        Assert.True(Value(metrics, "processmaster_service_uptime_seconds", ("service", "web")) >= 0);
        Assert.True(Value(metrics, "processmaster_service_cpu_seconds_total", ("service", "web")) >= 0);
        Assert.True(Value(metrics, "processmaster_service_log_written_bytes_total", ("service", "web"), ("stream", "stdout")) >= "hello-metrics\n".Length);
        Assert.Equal(0, Value(metrics, "processmaster_service_log_dropped_bytes_total", ("service", "web"), ("stream", "stdout")));
        bool memoryController = File.Exists(Path.Combine(daemon.AppCgroup("web"), "memory.current"));
        Assert.Equal(memoryController, metrics["processmaster_service_memory_bytes"].Samples.Any(s => s.Labels["service"] == "web"));
        Assert.Equal(File.Exists(Path.Combine(daemon.AppCgroup("web"), "memory.events")), metrics["processmaster_service_oom_kills_total"].Samples.Any(s => s.Labels["service"] == "web"));
        Assert.True(Value(metrics, "process_resident_memory_bytes") > 1_000_000);
        Assert.True(Value(metrics, "process_threads") >= 1);
        Assert.True(Value(metrics, "process_open_fds") >= 3);
        Assert.True(Value(metrics, "process_cpu_seconds_total") > 0);
        Assert.True(Value(metrics, "process_start_time_seconds") > 1.7e9);
        // pmctl status ran through the socket while waiting: counted and timed.
        Assert.True(Value(metrics, "processmaster_rpc_requests_total", ("method", "status")) >= 1);
        Assert.Equal(Value(metrics, "processmaster_rpc_requests_total", ("method", "status")),
            metrics["processmaster_rpc_request_duration_seconds"].Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal) && s.Labels["method"] == "status").Value);

        // pmctl metrics prints the same exposition.
        CommandResult cli = await daemon.PmctlAsync("metrics");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        IReadOnlyDictionary<string, PromFamily> fromCli = PrometheusTextParser.Parse(cli.Stdout);
        Assert.Equal(metrics.Keys.Order(), fromCli.Keys.Order());
        Assert.Equal(1, Value(fromCli, "processmaster_service_restarts_total", ("service", "crasher")));
    }

    [Fact]
    public async Task MetricsAuth_AsksForTheConsoleCredentials()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml(extra: "metrics_auth: true"));
        await daemon.StartAsync();
        Uri address = await ConsoleSetup.AddressAsync(daemon);
        using var http = new HttpClient { Timeout = Wait };
        using (HttpResponseMessage refused = await http.GetAsync(new Uri(address, "/metrics"), TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "/metrics"));
        request.Headers.Authorization = ConsoleSetup.Basic();
        using HttpResponseMessage admitted = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        PrometheusTextParser.Parse(await admitted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MetricsAuth_NotABoolean_RefusedAtLoad()
    {
        await using DaemonInstance daemon = DaemonInstance.Create(ConsoleSetup.Yaml(extra: "metrics_auth: sometimes"));
        CommandResult check = await CommandRun.RunAsync(Repository.Daemon, ["--check", "-c", daemon.ConfigPath], Wait);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("web_console.metrics_auth", check.Stdout + check.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# HELP x h\n# TYPE x gauge\nx one", "bad value")]
    [InlineData("# TYPE x_total counter\nx_total 1", "does not end with a newline")]
    [InlineData("# HELP x h\n# TYPE x counter\nx 1\n", "does not end in _total")]
    [InlineData("# HELP x h\n# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"1\"} 2\n", "duplicate series")]
    [InlineData("# HELP x h\n# TYPE x gauge\nx{a=\"\\q\"} 1\n", "bad escape")]
    [InlineData("# HELP x h\n# TYPE x gauge\ny 1\n", "outside its family")]
    [InlineData("# HELP h h\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "not cumulative")]
    public void Parser_RefusesWhatPrometheusWould(string text, string problem)
    {
        FormatException e = Assert.Throws<FormatException>(() => PrometheusTextParser.Parse(text.EndsWith('\n') || problem.Contains("newline", StringComparison.Ordinal) ? text : text + "\n"));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    private static double Value(IReadOnlyDictionary<string, PromFamily> metrics, string family, params (string Name, string Value)[] labels)
    {
        PromFamily f = metrics[family];
        PromSample? sample = f.Samples.SingleOrDefault(s => s.Name == family && labels.All(l => s.Labels.TryGetValue(l.Name, out string? v) && v == l.Value));
        return sample?.Value ?? throw new InvalidOperationException($"no sample {family}{{{string.Join(',', labels.Select(l => $"{l.Name}={l.Value}"))}}} among {string.Join("; ", f.Samples.Select(s => s.Name + string.Join(',', s.Labels)))}");
    }
}
