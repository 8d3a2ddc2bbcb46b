namespace ProcessMaster.Core.Flags;

public sealed partial class FlagRuleSet
{
    /// <summary>
    /// Sets <paramref name="flag"/> with its rules (the original's §5.3 algorithm):
    /// a breadth-first walk over <c>also_sets</c> from <paramref name="flag"/> gathers the fresh set
    /// (the flag and everything it also sets) and the union of every visited rule's <c>clears</c>
    /// (each rule expanded once, so cycles are harmless); <c>*</c> adds every existing flag that is not
    /// fresh; set wins (fresh flags are never cleared); then the clears are removed, the flag is set with
    /// <paramref name="expiry"/> (overwriting any previous one), and each also-set flag not already present
    /// is set without expiry (present ones keep theirs).
    /// </summary>
    /// <param name="flags">The current flags (prune expired flags first).</param>
    /// <param name="flag">The flag to set.</param>
    /// <param name="expiry">Its expiry (wall clock), or null for none.</param>
    public FlagChange Apply(FlagSet<SystemFlag> flags, SystemFlag flag, DateTimeOffset? expiry = null)
    {
        var fresh = new HashSet<SystemFlag> { flag };
        var expanded = new HashSet<SystemFlag>();
        var toClear = new List<SystemFlag>();
        var alsoRequested = new List<SystemFlag>();
        bool clearAll = false;

        var queue = new Queue<SystemFlag>();
        queue.Enqueue(flag);
        while (queue.TryDequeue(out var current))
        {
            if (!expanded.Add(current) || RuleFor(current) is not { } rule) continue;
            toClear.AddRange(rule.Clears);
            clearAll |= rule.ClearsAll;
            foreach (var also in rule.AlsoSets)
            {
                if (!alsoRequested.Contains(also)) alsoRequested.Add(also);
                fresh.Add(also);
                queue.Enqueue(also);
            }
        }
        if (clearAll) toClear.AddRange(flags.Names);

        var result = flags;
        var cleared = new List<SystemFlag>();
        foreach (var victim in toClear)
        {
            if (fresh.Contains(victim) || !result.Contains(victim)) continue;   // set wins
            result = result.Remove(victim);
            cleared.Add(victim);
        }

        bool changed = cleared.Count > 0
            || !flags.TryGetExpiry(flag, out var previous) || previous != expiry;
        result = result.Set(flag, expiry);

        var alsoSet = new List<SystemFlag>();
        foreach (var also in alsoRequested)
        {
            if (also == flag || result.Contains(also)) continue;
            result = result.Set(also);
            alsoSet.Add(also);
        }
        return new FlagChange(result, flag, cleared, alsoSet, changed || alsoSet.Count > 0);
    }
}
