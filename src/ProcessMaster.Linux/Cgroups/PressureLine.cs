namespace ProcessMaster.Linux.Cgroups;

/// <summary>One PSI line: share of time stalled over 10 s, 60 s, 300 s (percent) and the total stall time.</summary>
public readonly record struct PressureLine(double Avg10, double Avg60, double Avg300, ulong TotalUsec);
