using Loam.Storage.Os;

namespace Loam.Node;

/// <summary>A loop device node bind-mounted onto a file: a published raw block volume.</summary>
public sealed record BlockBind(MountInfo Mount, LoopDevice Device);
