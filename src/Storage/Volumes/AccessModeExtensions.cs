namespace Loam.Storage.Volumes;

public static class AccessModeExtensions
{
    public static bool IsSingleNode(this AccessMode mode) => mode is AccessMode.SingleNodeWriter or AccessMode.SingleNodeReaderOnly
        or AccessMode.SingleNodeSingleWriter or AccessMode.SingleNodeMultiWriter;

    public static bool IsReadOnly(this AccessMode mode) => mode is AccessMode.SingleNodeReaderOnly or AccessMode.MultiNodeReaderOnly;
}
