using CsCheck;
using ProcessMaster.Core.Lifecycle;
using ProcessMaster.Core.Time;
using static ProcessMaster.Core.Tests.Lifecycle.Fixtures;

namespace ProcessMaster.Core.Tests.Lifecycle;

public class LifecycleTotalityTests
{
    public static TheoryData<string> Runtimes => [.. Paths.Keys];

    /// <summary>Every (runtime, input) at three times: just after, at, and long after the deadline, under the
    /// policy the runtime was built with (a modified definition may bring any policy of the same kind).
    /// Decide never throws and every invariant holds.</summary>
    [Theory]
    [MemberData(nameof(Runtimes))]
    public void Decide_EveryInputInEveryState_KeepsInvariants(string runtime)
    {
        bool job = IsJobFixture(runtime);
        var policies = Policies.Values.Where(p => (p.Kind == ServiceKind.Job) == job).ToList();
        int checkedPairs = 0;
        foreach (var build in policies.Where(p => p.Enabled))
        {
            var (s, built) = Build(runtime, build);
            foreach (var input in Inputs.Values)
            {
                foreach (var p in input is DefinitionReloaded { Change: DefinitionChange.Modified } ? policies : [build])
                {
                    foreach (var delay in new[] { TimeSpan.FromMilliseconds(1), (s.Deadline ?? built.Mono) - built.Mono, TimeSpan.FromHours(1) })
                    {
                        var now = built.Add(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
                        var t = ServiceLifecycle.Decide(s, input, now, p);
                        Invariants.Check(s, input, now, p, t);
                        checkedPairs++;
                    }
                }
            }
        }
        Assert.True(checkedPairs > 0);
    }

    [Fact]
    public void Decide_EveryStateIsReachedByTheFixtures()
    {
        var reached = Paths.Keys.Select(name => Build(name).Runtime.State).ToHashSet();
        Assert.Equal(Enum.GetValues<ServiceState>().ToHashSet(), reached);
    }

    /// <summary>Random input sequences (any order, any timing) from a fresh runtime keep every invariant.</summary>
    [Fact]
    public void Decide_RandomSequences_KeepInvariants()
    {
        var inputs = Inputs.Values.ToArray();
        var policies = Policies.Values.ToArray();
        var step = Gen.Select(Gen.Int[0, inputs.Length - 1], Gen.Int[0, 6_000]);
        Gen.Select(Gen.Int[0, policies.Length - 1], step.Array[1, 60]).Sample(sample =>
        {
            var (policyIndex, steps) = sample;
            var p = policies[policyIndex];
            var now = T0;
            var s = ServiceRuntime.New(p.Kind, now);
            foreach (var (inputIndex, millis) in steps)
            {
                now = now.Add(TimeSpan.FromMilliseconds(millis));
                var input = inputs[inputIndex] switch
                {
                    MainExited m when s.MainPid is { } pid => m with { Pid = pid },
                    var other => other,
                };
                var t = ServiceLifecycle.Decide(s, input, now, p);
                Invariants.Check(s, input, now, p, t);
                s = t.Next;
            }
        }, iter: 2_000);
    }
}
