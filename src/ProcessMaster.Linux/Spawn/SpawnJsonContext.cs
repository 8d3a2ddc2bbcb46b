using System.Text.Json.Serialization;

namespace ProcessMaster.Linux.Spawn;

/// <summary>Source-generated JSON for the daemon ↔ shim messages (AOT-clean).</summary>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SpawnSpec))]
[JsonSerializable(typeof(ShimReport))]
internal sealed partial class SpawnJsonContext : JsonSerializerContext;
