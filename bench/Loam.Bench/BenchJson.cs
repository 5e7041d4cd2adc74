using System.Text.Json.Serialization;

namespace Loam.Bench;

/// <summary>Source-generated JSON for the report line.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchReport))]
public sealed partial class BenchJson : JsonSerializerContext;
