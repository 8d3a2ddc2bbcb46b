namespace ProcessMaster.Linux.Files;

/// <summary>
/// The permission bits the daemon writes, one constant per mode. C# has no octal literals: <c>0755</c> in C# is the
/// decimal 755 (octal 01363, <c>d-wxr----t</c>, audit X2). Each constant is a binary literal grouped three bits per
/// octal digit, so <c>0b111_101_101</c> reads as 7-5-5; a test pins every one against its octal text.
/// </summary>
public static class UnixMode
{
    /// <summary><c>0755</c> rwxr-xr-x: directories others may enter and list (cgroups, log directories).</summary>
    public const uint Mode0755 = 0b111_101_101;

    /// <summary><c>0750</c> rwxr-x---: the daemon's log directory.</summary>
    public const uint Mode0750 = 0b111_101_000;

    /// <summary><c>0700</c> rwx------: private directories (state, log pipes, socket staging).</summary>
    public const uint Mode0700 = 0b111_000_000;

    /// <summary><c>0644</c> rw-r--r--: files anyone may read (generated definitions, the provisioning marker).</summary>
    public const uint Mode0644 = 0b110_100_100;

    /// <summary><c>0640</c> rw-r-----: log files (output may hold secrets).</summary>
    public const uint Mode0640 = 0b110_100_000;

    /// <summary><c>0600</c> rw-------: private files (state, FIFOs).</summary>
    public const uint Mode0600 = 0b110_000_000;

    /// <summary><c>022</c> ----w--w-: the write bits of group and others.</summary>
    public const uint GroupOrOtherWrite = 0b000_010_010;

    /// <summary><c>077</c> ---rwxrwx: every bit of group and others.</summary>
    public const uint GroupOrOtherAny = 0b000_111_111;

    /// <summary><c>07777</c>: the permission, setuid, setgid and sticky bits.</summary>
    public const uint PermissionMask = 0b111_111_111_111;

    /// <summary>Four octal digits with a leading zero, e.g. <c>0755</c>, for messages.</summary>
    public static string Format(uint mode) => "0" + Convert.ToString(mode & PermissionMask, 8).PadLeft(3, '0');
}
