using ProcessMaster.Linux;
using ProcessMaster.Linux.Cgroups;

namespace ProcessMaster.Daemon.Web.Feeds;

/// <summary>
/// cpu and memory of every service for open console pages (and the clock of the resource view): one shared timer that
/// runs only while at least one page listens, reading <c>cpu.stat</c> and <c>memory.current</c> of each app cgroup
/// (a few small kernel files per service; no process is woken). When the last page closes, the timer stops.
/// </summary>
internal sealed class UsageSampler : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly string _masterPath;
    private readonly Func<IEnumerable<string>> _names;
    private readonly TimeProvider _time;
    private readonly Broadcast<UsageSample> _pages = new(2);
    private readonly ITimer _timer;
    private readonly Lock _lock = new();

    public UsageSampler(string masterPath, Func<IEnumerable<string>> names, TimeProvider time)
    {
        _masterPath = masterPath;
        _names = names;
        _time = time;
        _timer = time.CreateTimer(_ => Sample(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _pages.ActiveChanged += active => _timer.Change(active ? TimeSpan.Zero : Timeout.InfiniteTimeSpan, active ? Interval : Timeout.InfiniteTimeSpan);
    }

    public Broadcast<UsageSample>.Subscription Subscribe() => _pages.Subscribe();

    private void Sample()
    {
        if (!_lock.TryEnter()) return;
        try
        {
            var services = new List<ServiceUsage>();
            foreach (string name in _names())
            {
                try
                {
                    using CgroupNode node = CgroupNode.Open(Path.Join(_masterPath, CgroupLayout.ServiceCgroupName(name)));
                    services.Add(new ServiceUsage { Name = name, UsageUsec = (long)node.ReadCpuStat().UsageUsec, MemoryBytes = node.ReadMemoryCurrent() });
                }
                catch (Exception e) when (e is IOException or LinuxException or UnauthorizedAccessException or FormatException)
                {
                    // No cgroup (never started, or removed): no usage to show.
                }
            }
            _pages.Publish(new UsageSample { AtMs = _time.GetUtcNow().ToUnixTimeMilliseconds(), Services = services });
        }
        finally
        {
            _lock.Exit();
        }
    }

    public void Dispose() => _timer.Dispose();
}
