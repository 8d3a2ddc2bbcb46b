namespace ProcessMaster.Core.Logs;

/// <summary>A file in a log directory as retention sees it: its name and when it was last written.</summary>
/// <param name="Name">The entry name (one path component).</param>
/// <param name="LastWrite">Its modification time.</param>
public readonly record struct LogFileEntry(string Name, DateTimeOffset LastWrite);
