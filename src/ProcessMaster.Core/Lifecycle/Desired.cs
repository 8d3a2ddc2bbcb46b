namespace ProcessMaster.Core.Lifecycle;

/// <summary>What the operator wants, kept apart from what is (cf. s6's <c>flagwantup</c>). Persisted.</summary>
public enum Desired
{
    /// <summary>Keep it running (the default; boot and reloads start it).</summary>
    Up,
    /// <summary>An operator stopped it: no automatic start or restart until an operator starts it.</summary>
    Down,
}
