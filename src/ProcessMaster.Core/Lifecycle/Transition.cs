namespace ProcessMaster.Core.Lifecycle;

/// <summary>The outcome of <see cref="ServiceLifecycle.Decide"/>: the next runtime and the effects to run, in order.</summary>
public sealed record Transition(ServiceRuntime Next, IReadOnlyList<Effect> Effects)
{
    /// <summary>The domain events among <see cref="Effects"/>.</summary>
    public IEnumerable<DomainEvent> Events => Effects.OfType<Publish>().Select(p => p.Event);
}
