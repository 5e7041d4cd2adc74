namespace Loam.Storage.Volumes;

/// <summary>How many nodes may use a volume and how; numbered as CSI numbers them.</summary>
public enum AccessMode
{
    Unknown = 0,
    SingleNodeWriter = 1,
    SingleNodeReaderOnly = 2,
    MultiNodeReaderOnly = 3,
    MultiNodeSingleWriter = 4,
    MultiNodeMultiWriter = 5,
    SingleNodeSingleWriter = 6,
    SingleNodeMultiWriter = 7,
}
