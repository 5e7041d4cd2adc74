using Prometheus;

namespace Loam.Driver.Metrics;

/// <summary>
/// The Prometheus registry of one driver process. A registry of its own, not the library's
/// static default: only Loam's metrics are exported, and two hosts in one process (tests)
/// never share counters.
/// </summary>
public sealed class DriverMetrics
{
    /// <summary>Prometheus text exposition format 0.0.4, what every Prometheus server scrapes.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public DriverMetrics(DriverIdentity identity)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Factory.CreateGauge("loam_driver_info", "Constant 1, labelled with what this driver process is.",
                new GaugeConfiguration { LabelNames = ["driver", "version", "mode", "node"] })
            .WithLabels(identity.DriverName, identity.Version, identity.Mode, identity.NodeId)
            .Set(1);
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    public Task ExportAsync(Stream destination, CancellationToken cancellationToken) =>
        Registry.CollectAndExportAsTextAsync(destination, cancellationToken);
}
