namespace ProcessMaster.Linux.Spawn;

/// <summary>What the shim writes to the report pipe when it cannot exec; nothing is written when exec succeeds (EOF).</summary>
internal sealed class ShimReport
{
    public string Step { get; set; } = "";

    public int Errno { get; set; }

    public string? Path { get; set; }

    public string Message { get; set; } = "";
}
