using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcessMaster.Protocol;

/// <summary>Writes enum members as <c>UPPER_SNAKE</c> (<c>RUNNING</c>), as the original's status did.</summary>
public sealed class UpperSnakeEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false)
    where TEnum : struct, Enum;

/// <summary>Writes enum members as <c>lower_snake</c> (<c>killing</c>).</summary>
public sealed class LowerSnakeEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
