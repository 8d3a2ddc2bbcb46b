namespace ProcessMaster.Linux.Definitions;

/// <summary>What <see cref="Provisioner"/>.Apply did.</summary>
public abstract record ProvisioningOutcome
{
    private ProvisioningOutcome()
    {
    }

    /// <summary>Nothing was done: the definition has no entries, or the marker is present.</summary>
    /// <param name="Reason">Why, e.g. <c>marker /srv/web/.pm_provisioned exists</c>.</param>
    public sealed record Skipped(string Reason) : ProvisioningOutcome;

    /// <summary>Every entry succeeded and the marker was written.</summary>
    /// <param name="Actions">What was done, in order, one line each (e.g. <c>chmod 0750 /srv/web</c>).</param>
    public sealed record Applied(IReadOnlyList<string> Actions) : ProvisioningOutcome;

    /// <summary>
    /// An entry (or the check before the first) failed. Nothing more was done and no marker was written; entries
    /// that already succeeded are not rolled back. The caller does not load the service and reports
    /// <paramref name="Message"/>.
    /// </summary>
    /// <param name="Message">Service, entry, what failed, why and what to do (STYLE §8).</param>
    public sealed record Failed(string Message) : ProvisioningOutcome;
}
