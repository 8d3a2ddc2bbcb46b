using Microsoft.Extensions.Time.Testing;
using ProcessMaster.Core.Config.Model;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Daemon.Events;
using ProcessMaster.Daemon.Supervision;
using ProcessMaster.Daemon.Tests.Support;

namespace ProcessMaster.Daemon.Tests.Supervision;

/// <summary>What the supervision loop's collaborators run on, with a fake clock: the deadline schedule, the journal, and the inputs fed.</summary>
internal sealed class LoopFixture : IDisposable
{
    /// <summary>The lines under <c>process:</c> of a plain service.</summary>
    public const string DefaultProcess = "  working_directory: /srv/app\n  start_command: [\"/bin/true\"]\n";

    public LoopFixture()
    {
        Clock = new DaemonClock(Time);
        Deadlines = new DeadlineSchedule(Clock, () => { });
        Journal = new EventJournal(Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 4, 12, 1, 0, TimeSpan.Zero));

    public DaemonClock Clock { get; }

    public DeadlineSchedule Deadlines { get; }

    public EventJournal Journal { get; }

    /// <summary>Inputs the collaborator fed to a lifecycle, in order.</summary>
    public List<(string Service, ServiceInput Input)> Fed { get; } = [];

    /// <summary>How often the collaborator said something worth persisting changed.</summary>
    public int Changes { get; private set; }

    public void Feed(ServiceSlot slot, ServiceInput input) => Fed.Add((slot.Name, input));

    public void Changed() => Changes++;

    /// <summary>The messages journaled for <paramref name="service"/>, oldest first.</summary>
    public IReadOnlyList<string> Messages(string service) => [.. Journal.Last(EventJournal.Capacity, service).Select(e => e.Message)];

    /// <summary>A slot for the service <paramref name="name"/> defined by <paramref name="process"/> (the lines under <c>process:</c>).</summary>
    public ServiceSlot Slot(string name, string process = DefaultProcess) => Definitions.Slot(Definition(name, process), Clock.Now());

    public static ServiceDefinition Definition(string name, string process = DefaultProcess) => Definitions.Parse(name, $"process:\n{process}");

    public void Dispose() => Deadlines.Dispose();
}
