using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using ProcessMaster.Linux.Cgroups;
using ProcessMaster.Linux.Spawn;
using ProcessMaster.Linux.Watchers;

// Times N spawns of /bin/true through the daemon's Spawner (the same code path as a service start): until exec
// has happened (Spawn returns), and until the exit status has been collected through the pidfd.
// Usage: spawn-bench [N=500]
int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
string mount = Cgroup2Mount.TryFind() ?? throw new InvalidOperationException("no cgroup2 mount");
using CgroupNode root = CgroupNode.Open(mount);
string name = "pm-spawn-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
using CgroupNode bench = root.CreateChild(name);
using CgroupNode leaf = bench.CreateChild("run");
try
{
    using var watcher = new KernelEventWatcher(Channel.CreateUnbounded<KernelEvent>().Writer);
    var spawner = new Spawner(new ChildProcessRegistry(), watcher);
    string? problem = spawner.CheckCloneIntoCgroup(bench);
    Console.WriteLine(problem is null ? "clone3 CLONE_INTO_CGROUP: used" : "clone3 CLONE_INTO_CGROUP: not used: " + problem);
    Measure("no cgroup", null);
    Measure("into a cgroup", leaf);
}
finally
{
    leaf.Remove();
    bench.Remove();
}

void Measure(string what, CgroupNode? cgroup)
{
    using var watcher = new KernelEventWatcher(Channel.CreateUnbounded<KernelEvent>().Writer);
    var spawner = new Spawner(new ChildProcessRegistry(), watcher);
    var request = new SpawnRequest("/bin/true", [], "/", SpawnEnvironment.Clean(null, [])) { Cgroup = cgroup, Subject = "bench" };
    var untilExec = new double[n];
    var untilReaped = new double[n];
    for (int i = -20; i < n; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        var started = spawner.Spawn(request) as SpawnResult.Started ?? throw new InvalidOperationException("spawn failed");
        long t1 = Stopwatch.GetTimestamp();
        started.Child.Exit.GetAwaiter().GetResult();
        long t2 = Stopwatch.GetTimestamp();
        if (i < 0) continue; // warm-up
        untilExec[i] = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
        untilReaped[i] = Stopwatch.GetElapsedTime(t0, t2).TotalMilliseconds;
    }

    Console.WriteLine($"{what,-14} until exec: {Summary(untilExec)}");
    Console.WriteLine($"{what,-14} until reaped: {Summary(untilReaped)}");
}

static string Summary(double[] samples)
{
    Array.Sort(samples);
    return string.Create(CultureInfo.InvariantCulture,
        $"median {samples[samples.Length / 2]:0.000} ms, p90 {samples[samples.Length * 9 / 10]:0.000} ms, min {samples[0]:0.000} ms (n={samples.Length})");
}
