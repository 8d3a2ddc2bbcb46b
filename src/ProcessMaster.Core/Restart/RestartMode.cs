namespace ProcessMaster.Core.Restart;

/// <summary>Whether a service that stops on its own is started again.</summary>
public enum RestartMode
{
    /// <summary>Restart after every unexpected stop, within the tolerance.</summary>
    Always,
    /// <summary>Never restart: a clean exit leaves the service stopped, any other end marks it failed.</summary>
    Never,
}
