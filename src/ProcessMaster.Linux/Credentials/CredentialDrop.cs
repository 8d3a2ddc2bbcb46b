using ProcessMaster.Linux.Interop;
using ProcessMaster.Linux.Procfs;

namespace ProcessMaster.Linux.Credentials;

/// <summary>
/// Makes a root daemon an unprivileged one for good: setgroups, setgid, setuid, then proves it on every thread.
/// The .NET runtime runs many threads, and Linux keeps credentials per thread: the raw system calls would change
/// only the calling thread. glibc's <c>setgroups</c>, <c>setgid</c> and <c>setuid</c> (what these imports bind)
/// apply the change to every thread of the process (the "setxid" signal broadcast, nptl), and
/// <see cref="TaskCredentials.OfEveryThread"/> verifies it from <c>/proc/self/task/*/status</c>. setuid from root
/// also sets the saved and file-system ids and clears the permitted and effective capabilities, so the drop
/// cannot be undone.
/// </summary>
public static unsafe class CredentialDrop
{
    /// <summary>
    /// Drops to <paramref name="target"/>. Throws <see cref="LinuxException"/> when a call fails or when any thread
    /// still carries another identity (the daemon must not go on half-dropped).
    /// </summary>
    /// <returns>The number of threads verified.</returns>
    public static int To(DaemonIdentity target)
    {
        uint[] groups = [.. target.Groups.Append(target.Gid).Distinct().Order()];
        fixed (uint* p = groups)
        {
            if (Libc.SetGroups((nuint)groups.Length, p) != 0)
            {
                throw LinuxException.FromLastError("setgroups", $"groups {string.Join(',', groups)}", "dropping privileges needs root");
            }
        }

        if (Libc.SetGid(target.Gid) != 0)
        {
            throw LinuxException.FromLastError("setgid", $"gid {target.Gid}");
        }

        if (Libc.SetUid(target.Uid) != 0)
        {
            throw LinuxException.FromLastError("setuid", $"uid {target.Uid}");
        }

        IReadOnlyList<TaskCredentials> threads = TaskCredentials.OfEveryThread();
        List<TaskCredentials> wrong = [.. threads.Where(t => !t.Is(target.Uid, target.Gid, groups))];
        if (wrong.Count > 0 || threads.Count == 0)
        {
            throw new LinuxException("setuid", Errno.EPERM,
                $"privilege drop to {target}: {wrong.Count} of {threads.Count} threads still differ ({string.Join("; ", wrong.Take(3))})",
                "refusing to run half-dropped");
        }

        return threads.Count;
    }
}
