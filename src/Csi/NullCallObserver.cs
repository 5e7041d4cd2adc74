using Grpc.Core;

namespace Loam.Csi;

public sealed class NullCallObserver : ICallObserver
{
    public void CallCompleted(string method, StatusCode code, TimeSpan elapsed)
    {
    }
}
