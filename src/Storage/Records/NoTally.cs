namespace Loam.Storage.Records;

/// <summary>For an index nobody sums over.</summary>
public sealed class NoTally<TStored> : IRecordTally<TStored>
{
    public static readonly NoTally<TStored> Instance = new();

    public void Clear()
    {
    }

    public void Added(TStored stored)
    {
    }

    public void Removed(TStored stored)
    {
    }
}
