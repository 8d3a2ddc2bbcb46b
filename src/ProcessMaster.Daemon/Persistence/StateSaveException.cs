namespace ProcessMaster.Daemon.Persistence;

/// <summary>A change was not written to the state file: the message names the file and why (ENOSPC, EROFS, ...).</summary>
internal sealed class StateSaveException(string message) : Exception(message);
