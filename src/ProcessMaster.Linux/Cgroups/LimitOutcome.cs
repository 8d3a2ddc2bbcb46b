namespace ProcessMaster.Linux.Cgroups;

/// <summary>Whether a limit reached the kernel.</summary>
public enum LimitOutcome
{
    /// <summary>The kernel accepted the value.</summary>
    Applied,

    /// <summary>The file does not exist (controller off, or swap accounting off); nothing was written.</summary>
    NotAvailable,

    /// <summary>The file exists but the kernel refused the value.</summary>
    Rejected,
}
