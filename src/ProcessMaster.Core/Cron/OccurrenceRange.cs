namespace ProcessMaster.Core.Cron;

/// <summary>Consecutive occurrences passed over in one evaluation (UTC instants).</summary>
/// <param name="First">The earliest.</param>
/// <param name="Last">The latest.</param>
/// <param name="Count">How many (at most <see cref="CronPlanner.MaxCountedOccurrences"/>; see <paramref name="CountIsLowerBound"/>).</param>
/// <param name="CountIsLowerBound">True when counting stopped at <see cref="CronPlanner.MaxCountedOccurrences"/>
/// (e.g. a per-second job after a long downtime): there were more.</param>
public readonly record struct OccurrenceRange(DateTimeOffset First, DateTimeOffset Last, int Count, bool CountIsLowerBound)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{(CountIsLowerBound ? "more than " : "")}{Count} occurrence{(Count == 1 ? "" : "s")} from {First:O} to {Last:O}";
}
