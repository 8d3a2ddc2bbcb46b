using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>fgetxattr(2): read an extended attribute (e.g. <c>security.capability</c>) of an open file.</summary>
internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint FGetXattr(SafeHandle fd, string name, byte* value, nuint size);
}
