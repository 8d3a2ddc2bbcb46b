namespace ProcessMaster.Linux.Spawn;

/// <summary>The wire form of a <see cref="SpawnRequest"/>, sent as JSON on the shim's stdin.</summary>
internal sealed class SpawnSpec
{
    public string Program { get; set; } = "";

    public List<string> Argv { get; set; } = [];

    public string WorkingDirectory { get; set; } = "/";

    public List<string> Environment { get; set; } = [];

    public string? CgroupProcsPath { get; set; }

    public uint? Uid { get; set; }

    public uint? Gid { get; set; }

    public List<uint>? Groups { get; set; }

    public SpawnOutputKind StdoutKind { get; set; }

    public string? StdoutPath { get; set; }

    public SpawnOutputKind StderrKind { get; set; }

    public string? StderrPath { get; set; }
}
