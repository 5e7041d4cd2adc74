using Grpc.Core;
using Loam.Csi;
using Prometheus;

namespace Loam.Driver.Metrics;

/// <summary>
/// Counts and times every CSI call the interceptor reports, by service, method and status
/// code. One histogram carries both: its <c>_count</c> is the number of calls.
/// </summary>
public sealed class CsiCallMetrics : ICallObserver
{
    public const string DurationName = "loam_csi_operation_duration_seconds";

    // From a Probe (well under a millisecond) to a copy-fallback clone of a large image.
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private readonly Histogram _duration;

    public CsiCallMetrics(DriverMetrics metrics) =>
        _duration = metrics.Factory.CreateHistogram(DurationName,
            "Time CSI calls took, by CSI service, method and gRPC status code.",
            new HistogramConfiguration { LabelNames = ["service", "method", "code"], Buckets = Buckets });

    public void CallCompleted(string method, StatusCode code, TimeSpan elapsed)
    {
        var (service, name) = Split(method);
        _duration.WithLabels(service, name, code.ToString()).Observe(elapsed.TotalSeconds);
    }

    /// <summary><c>/csi.v1.Controller/CreateVolume</c> is service <c>Controller</c>, method <c>CreateVolume</c>.</summary>
    public static (string Service, string Method) Split(string fullMethod)
    {
        var slash = fullMethod.LastIndexOf('/');
        if (slash <= 0)
            return ("", fullMethod);
        var service = fullMethod[..slash].TrimStart('/');
        var dot = service.LastIndexOf('.');
        return (service[(dot + 1)..], fullMethod[(slash + 1)..]);
    }
}
