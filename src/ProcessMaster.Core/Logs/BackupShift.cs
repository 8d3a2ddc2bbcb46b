namespace ProcessMaster.Core.Logs;

/// <summary>
/// The file operations of one numbered rotation, in order: delete <see cref="Deletes"/>, then apply
/// <see cref="Renames"/> one by one (oldest first, so no rename overwrites a file still needed).
/// A missing source is skipped.
/// </summary>
/// <param name="Deletes">Names removed before shifting (the oldest backup and its .gz).</param>
/// <param name="Renames">(from, to) pairs; the last one moves the live file to <c>.1</c>.</param>
public sealed record BackupShift(IReadOnlyList<string> Deletes, IReadOnlyList<(string From, string To)> Renames);
