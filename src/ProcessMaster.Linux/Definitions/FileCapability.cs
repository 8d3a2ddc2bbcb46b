using System.Buffers.Binary;

namespace ProcessMaster.Linux.Definitions;

/// <summary>
/// Reads the <c>security.capability</c> attribute setcap writes (<c>struct vfs_cap_data</c>,
/// include/uapi/linux/capability.h): a little-endian <c>magic_etc</c> (revision in the top byte, bit 0 = the
/// effective flag) followed by permitted/inheritable words, the first word holding capabilities 0-31.
/// </summary>
public static class FileCapability
{
    /// <summary>The extended attribute holding file capabilities.</summary>
    public const string AttributeName = "security.capability";

    /// <summary>CAP_NET_BIND_SERVICE: bind ports below 1024.</summary>
    public const int CapNetBindService = 10;

    private const uint VfsCapFlagsEffective = 0x000001;
    private const uint VfsCapRevisionMask = 0xFF000000;
    private const int HeaderAndFirstWord = 12;

    /// <summary>Null when <paramref name="attribute"/> grants cap_net_bind_service permitted and effective, else what is wrong.</summary>
    public static string? NetBindServiceProblem(byte[]? attribute)
    {
        if (attribute is null) return "no security.capability attribute";
        if (attribute.Length < HeaderAndFirstWord) return $"a {attribute.Length}-byte security.capability attribute (too short)";
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(attribute);
        uint permitted = BinaryPrimitives.ReadUInt32LittleEndian(attribute.AsSpan(4));
        uint revision = (magic & VfsCapRevisionMask) >> 24;
        if (revision is < 1 or > 3) return $"an unknown security.capability revision {revision}";
        if ((permitted & (1u << CapNetBindService)) == 0) return "cap_net_bind_service is not in the permitted set";
        return (magic & VfsCapFlagsEffective) == 0 ? "the effective flag is not set" : null;
    }
}
