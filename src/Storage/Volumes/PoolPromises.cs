namespace Loam.Storage.Volumes;

/// <summary>
/// What the volumes of one pool promise: committed thin and thick sizes, and thin bytes reserved by calls in flight.
/// </summary>
public readonly record struct PoolPromises(long ThinBytes, long ThickBytes, long ReservedThinBytes);
