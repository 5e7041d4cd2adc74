namespace Loam.Storage.Records;

/// <summary>
/// Running sums over a <see cref="RecordIndex{TStored}"/>, kept by the index as it changes so that
/// readers need not scan every entry. The index calls these under its own lock, in commit order.
/// </summary>
public interface IRecordTally<in TStored>
{
    /// <summary>The index is being read anew; forget every entry counted so far.</summary>
    void Clear();

    void Added(TStored stored);

    void Removed(TStored stored);
}
