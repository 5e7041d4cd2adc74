namespace Loam.Storage.Volumes;

/// <summary>
/// StorageClass parameters and VolumeAttributesClass (mutable) parameters Loam understands.
/// Unknown keys are refused so that a typo never silently yields a different volume;
/// keys under <c>csi.storage.k8s.io/</c> are the CO's own and pass through.
/// </summary>
public static class VolumeParameters
{
    public const string Pool = "pool";
    public const string ProvisioningKey = "provisioning";
    private const string CoPrefix = "csi.storage.k8s.io/";

    private static readonly string[] Known = [Pool, ProvisioningKey];
    private static readonly string[] KnownMutable = [ProvisioningKey];

    public static void Validate(IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> mutable)
    {
        foreach (var key in parameters.Keys)
        {
            if (!Known.Contains(key) && !key.StartsWith(CoPrefix, StringComparison.Ordinal))
                throw StorageException.InvalidArgument($"parameter '{key}' is not supported (supported: {string.Join(", ", Known)})");
        }
        ValidateMutable(mutable);
        ParseProvisioning(parameters);
    }

    public static void ValidateMutable(IReadOnlyDictionary<string, string> mutable)
    {
        foreach (var key in mutable.Keys)
        {
            if (!KnownMutable.Contains(key))
                throw StorageException.InvalidArgument($"mutable parameter '{key}' is not supported (supported: {string.Join(", ", KnownMutable)})");
        }
        ParseProvisioning(mutable);
    }

    /// <summary>Mutable parameters override the class parameters; thin is the default.</summary>
    public static Provisioning Provisioning(IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> mutable) =>
        ParseProvisioning(mutable) ?? ParseProvisioning(parameters) ?? Volumes.Provisioning.Thin;

    public static Provisioning? ParseProvisioning(IReadOnlyDictionary<string, string> parameters) =>
        parameters.TryGetValue(ProvisioningKey, out var value)
            ? value switch
            {
                "thin" => Volumes.Provisioning.Thin,
                "thick" => Volumes.Provisioning.Thick,
                _ => throw StorageException.InvalidArgument($"parameter provisioning: '{value}' is not 'thin' or 'thick'"),
            }
            : null;
}
