using System.Globalization;
using ProcessMaster.Core.Config;

namespace ProcessMaster.Linux.Credentials;

/// <summary>
/// The <see cref="AccountCheck"/> the daemon gives the config parsers: the same resolution a start does
/// (<see cref="UserDatabase.TryResolve"/>), so a definition naming an unknown user or group is refused when it
/// loads, with the text the start would have shown.
/// </summary>
public static class ServiceAccount
{
    /// <summary>Null when a service can run as <paramref name="user"/>/<paramref name="group"/>, or when the lookup failed.</summary>
    public static AccountProblem? Check(string user, string? group)
    {
        try
        {
            if (UserDatabase.TryResolve(user, group, out _, out string error))
            {
                return null;
            }

            bool groupAtFault = group is not null && UserDatabase.FindGroup(group) is null
                && !uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out _);
            return new AccountProblem(groupAtFault, error);
        }
        catch (LinuxException)
        {
            // NSS itself failed (e.g. a directory service is down): no verdict on the name; the start reports it.
            return null;
        }
    }
}
