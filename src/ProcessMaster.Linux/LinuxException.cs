using System.Runtime.InteropServices;

namespace ProcessMaster.Linux;

/// <summary>
/// A failed system call, with the call, the typed errno and the subject it acted on (a path, a pid, a service).
/// The message reads <c>&lt;subject&gt;: &lt;syscall&gt; failed: &lt;strerror&gt; (&lt;ERRNO&gt;)</c>. It is the
/// <see cref="IOException"/> of this layer (as the runtime's own I/O errors are), with the errno also in
/// <see cref="Exception.HResult"/>: a caller that handles any I/O failure catches <see cref="IOException"/>, one that
/// handles a particular errno tests <see cref="Errno"/>.
/// </summary>
public sealed class LinuxException : IOException
{
    /// <summary>Creates the exception from a raw errno value.</summary>
    public LinuxException(string syscall, int errno, string subject)
        : this(syscall, (Errno)errno, subject, null)
    {
    }

    /// <summary>Creates the exception, optionally with a hint that says what to do next.</summary>
    public LinuxException(string syscall, Errno errno, string subject, string? hint = null)
        : base(Format(syscall, errno, subject, hint))
    {
        Syscall = syscall;
        Errno = errno;
        HResult = (int)errno;
        Subject = subject;
    }

    /// <summary>The system call that failed, by its man-page name (e.g. <c>openat</c>).</summary>
    public string Syscall { get; }

    /// <summary>The errno it failed with.</summary>
    public Errno Errno { get; }

    /// <summary>What the call acted on.</summary>
    public string Subject { get; }

    /// <summary>strerror-like text plus the macro name, e.g. <c>No such file or directory (ENOENT)</c>.</summary>
    public static string Describe(Errno errno)
    {
        string text = Marshal.GetPInvokeErrorMessage((int)errno);
        string name = Enum.IsDefined(errno) ? errno.ToString() : "errno " + ((int)errno).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{text} ({name})";
    }

    /// <summary>Throws for the errno of the last P/Invoke call.</summary>
    internal static LinuxException FromLastError(string syscall, string subject, string? hint = null) =>
        new(syscall, (Errno)Marshal.GetLastPInvokeError(), subject, hint);

    private static string Format(string syscall, Errno errno, string subject, string? hint) =>
        hint is null
            ? $"{subject}: {syscall} failed: {Describe(errno)}"
            : $"{subject}: {syscall} failed: {Describe(errno)}; {hint}";
}
