using System.Globalization;
using System.Runtime.InteropServices;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Credentials;

/// <summary>
/// Looks users and groups up through NSS (the reentrant getpw*_r/getgr*_r calls) in the daemon, never in a child.
/// A name is tried first; a decimal number is then taken as an id.
/// </summary>
public static unsafe class UserDatabase
{
    private const int MaxBuffer = 1 << 20;

    /// <summary>Finds a user by name, or by numeric uid; null when unknown.</summary>
    public static PasswdEntry? FindUser(string nameOrId)
    {
        PasswdEntry? byName = Lookup(nameOrId, (string n, Libc.Passwd* pwd, byte* buf, nuint len, Libc.Passwd** res) => Libc.GetPwNamR(n, pwd, buf, len, res), ToPasswd);
        return byName ?? (TryParseId(nameOrId, out uint uid) ? FindUserById(uid) : null);
    }

    /// <summary>Finds a user by uid; null when it has no passwd entry.</summary>
    public static PasswdEntry? FindUserById(uint uid) =>
        Lookup(uid, (uint id, Libc.Passwd* pwd, byte* buf, nuint len, Libc.Passwd** res) => Libc.GetPwUidR(id, pwd, buf, len, res), ToPasswd);

    /// <summary>Finds a group by name, or by numeric gid; null when unknown.</summary>
    public static GroupEntry? FindGroup(string nameOrId)
    {
        GroupEntry? byName = Lookup(nameOrId, (string n, Libc.Group* grp, byte* buf, nuint len, Libc.Group** res) => Libc.GetGrNamR(n, grp, buf, len, res), ToGroup);
        return byName ?? (TryParseId(nameOrId, out uint gid) ? FindGroupById(gid) : null);
    }

    /// <summary>Finds a group by gid; null when it has no group entry.</summary>
    public static GroupEntry? FindGroupById(uint gid) =>
        Lookup(gid, (uint id, Libc.Group* grp, byte* buf, nuint len, Libc.Group** res) => Libc.GetGrGidR(id, grp, buf, len, res), ToGroup);

    /// <summary>getgrouplist(user, gid): <paramref name="gid"/> plus every group listing the user as a member; sorted, deduplicated.</summary>
    public static IReadOnlyList<uint> GetGroupList(string userName, uint gid)
    {
        int count = 32;
        while (true)
        {
            uint[] groups = new uint[count];
            int n = count;
            int rc;
            fixed (uint* p = groups)
            {
                rc = Libc.GetGroupList(userName, gid, p, &n);
            }

            if (rc >= 0)
            {
                return groups.Take(n).Append(gid).Distinct().Order().ToArray();
            }

            count = Math.Max(n, count * 2);
        }
    }

    /// <summary>
    /// Resolves the identity for <c>process.user</c>/<c>process.group</c>. The user is required; the group defaults
    /// to the user's primary group. Supplementary groups follow initgroups semantics. A numeric uid without a
    /// passwd entry needs an explicit group and gets only that group.
    /// </summary>
    /// <returns>True with <paramref name="credentials"/> set, or false with <paramref name="error"/> saying what is wrong and how to fix it.</returns>
    public static bool TryResolve(string user, string? group, out UserCredentials? credentials, out string error)
    {
        credentials = null;
        error = "";
        if (string.IsNullOrWhiteSpace(user))
        {
            error = string.IsNullOrWhiteSpace(group)
                ? "no user given"
                : "group is set without user; specify both (or neither)";
            return false;
        }

        PasswdEntry? passwd = FindUser(user);
        GroupEntry? groupEntry = null;
        uint gid;
        if (!string.IsNullOrWhiteSpace(group))
        {
            groupEntry = FindGroup(group);
            if (groupEntry is null && !TryParseId(group, out _))
            {
                error = $"group \"{group}\" not found in the group database; create it or fix process.group";
                return false;
            }

            gid = groupEntry?.Gid ?? uint.Parse(group, CultureInfo.InvariantCulture);
        }
        else if (passwd is not null)
        {
            gid = passwd.Gid;
        }
        else
        {
            error = TryParseId(user, out _)
                ? $"uid {user} has no passwd entry, so it has no primary group; set process.group too"
                : $"user \"{user}\" not found in the passwd database; create it or fix process.user";
            return false;
        }

        if (passwd is null)
        {
            if (!TryParseId(user, out uint bareUid))
            {
                error = $"user \"{user}\" not found in the passwd database; create it or fix process.user";
                return false;
            }

            credentials = new UserCredentials(bareUid, gid, [gid], user, "/", "/bin/sh");
            return true;
        }

        IReadOnlyList<uint> groups = GetGroupList(passwd.Name, gid);
        string home = string.IsNullOrEmpty(passwd.Home) ? "/" : passwd.Home;
        credentials = new UserCredentials(passwd.Uid, gid, groups, passwd.Name, home, string.IsNullOrEmpty(passwd.Shell) ? "/bin/sh" : passwd.Shell);
        return true;
    }

    private static bool TryParseId(string text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id != uint.MaxValue;

    private static PasswdEntry ToPasswd(nint entry)
    {
        var p = (Libc.Passwd*)entry;
        return new(Str(p->pw_name), p->pw_uid, p->pw_gid, Str(p->pw_dir), Str(p->pw_shell));
    }

    private static GroupEntry ToGroup(nint entry)
    {
        var g = (Libc.Group*)entry;
        return new(Str(g->gr_name), g->gr_gid);
    }

    private static string Str(byte* s) => Marshal.PtrToStringUTF8((nint)s) ?? "";

    private delegate int LookupCall<TKey, TStruct>(TKey key, TStruct* entry, byte* buf, nuint len, TStruct** result)
        where TStruct : unmanaged;

    private static TEntry? Lookup<TKey, TStruct, TEntry>(TKey key, LookupCall<TKey, TStruct> call, Func<nint, TEntry> convert)
        where TStruct : unmanaged
        where TEntry : class
    {
        for (int size = 1024; size <= MaxBuffer; size *= 4)
        {
            byte[] buffer = new byte[size];
            TStruct entry;
            TStruct* result = null;
            int rc;
            fixed (byte* b = buffer)
            {
                rc = call(key, &entry, b, (nuint)size, &result);
                if (rc == 0)
                {
                    return result is null ? null : convert((nint)result);
                }
            }

            if (rc != (int)Errno.ERANGE)
            {
                // ENOENT/ESRCH/EBADF/EPERM mean "not found" for these calls (getpwnam_r(3)); anything else is a real failure.
                if (rc is (int)Errno.ENOENT or (int)Errno.ESRCH or (int)Errno.EBADF or (int)Errno.EPERM)
                {
                    return null;
                }

                throw new LinuxException(typeof(TStruct) == typeof(Libc.Passwd) ? "getpw*_r" : "getgr*_r", rc, $"lookup of \"{key}\"");
            }
        }

        throw new LinuxException("getpw*_r", Errno.ERANGE, $"lookup of \"{key}\"", "the entry is larger than 1 MiB");
    }
}
