using System.Text.Json.Serialization;
using Loam.Client;

namespace Loam.Driver.Cli;

/// <summary>Source-generated JSON (no reflection: the CLI ships NativeAOT) for `--json` answers and the mount state file.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PluginReport))]
[JsonSerializable(typeof(VolumeView))]
[JsonSerializable(typeof(List<VolumeView>))]
[JsonSerializable(typeof(SnapshotView))]
[JsonSerializable(typeof(List<SnapshotView>))]
[JsonSerializable(typeof(ExpandView))]
[JsonSerializable(typeof(DeletedView))]
[JsonSerializable(typeof(StatsView))]
[JsonSerializable(typeof(MountRecord))]
[JsonSerializable(typeof(List<MountRecord>))]
public sealed partial class CliJson : JsonSerializerContext;
