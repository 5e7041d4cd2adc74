using Grpc.Core;

namespace Loam.Csi;

/// <summary>Told of every finished CSI call (the metrics endpoint counts them).</summary>
public interface ICallObserver
{
    void CallCompleted(string method, StatusCode code, TimeSpan elapsed);
}
