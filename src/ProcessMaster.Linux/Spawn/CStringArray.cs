using System.Runtime.InteropServices;
using System.Text;

namespace ProcessMaster.Linux.Spawn;

/// <summary>A NULL-terminated <c>char*</c> array of UTF-8 strings in one native allocation (argv, envp, candidate paths).</summary>
internal sealed unsafe class CStringArray : IDisposable
{
    private byte* _block;

    public CStringArray(IReadOnlyList<string> values)
    {
        nuint pointers = (nuint)(values.Count + 1) * (nuint)sizeof(byte*);
        int[] lengths = new int[values.Count];
        nuint bytes = 0;
        for (int i = 0; i < values.Count; i++)
        {
            lengths[i] = Encoding.UTF8.GetByteCount(values[i]);
            bytes += (nuint)lengths[i] + 1;
        }

        _block = (byte*)NativeMemory.Alloc(pointers + bytes);
        var array = (byte**)_block;
        byte* next = _block + pointers;
        for (int i = 0; i < values.Count; i++)
        {
            Encoding.UTF8.GetBytes(values[i], new Span<byte>(next, lengths[i]));
            next[lengths[i]] = 0;
            array[i] = next;
            next += lengths[i] + 1;
        }

        array[values.Count] = null;
    }

    /// <summary>The array (valid until disposed).</summary>
    public byte** Pointer => (byte**)_block;

    /// <inheritdoc />
    public void Dispose()
    {
        NativeMemory.Free(_block);
        _block = null;
    }
}
