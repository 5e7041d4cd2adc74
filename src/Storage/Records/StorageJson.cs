using System.Text.Json.Serialization;

namespace Loam.Storage.Records;

/// <summary>Source-generated JSON for every record Loam writes (trim- and AOT-safe).</summary>
[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(VolumeRecord))]
[JsonSerializable(typeof(NodeRegistration))]
[JsonSerializable(typeof(SnapshotRecord))]
[JsonSerializable(typeof(GroupSnapshotRecord))]
public sealed partial class StorageJson : JsonSerializerContext;
