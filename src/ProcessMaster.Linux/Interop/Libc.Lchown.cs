using System.Runtime.InteropServices;

namespace ProcessMaster.Linux.Interop;

/// <summary>lchown(2): change the owner of a path without following a final symlink.</summary>
internal static partial class Libc
{

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Lchown(string path, uint owner, uint group);


}
