namespace Loam.Tests.Support;

/// <summary>
/// The mounts a container runtime gives the node plugin, rebuilt for each start: a private
/// folder (<see cref="PrivateDirectory"/>, a self-bind made private on the host, then a tmpfs
/// inside the namespace) holds the pool, bind-mounted at <see cref="ContainerPool"/> from
/// <see cref="HostPool"/>, so the bind never shows on the host and dies with the namespace,
/// as a container's does. The CO's root (<see cref="SharedRoot"/>) is a shared self-bind, so
/// the driver's staging and target mounts propagate to the host, as kubelet's
/// mountPropagation: Bidirectional does. Cleanup is the test root's.
/// </summary>
public sealed class ContainerMounts
{
    /// <summary>$1 private folder, $2 host pool, $3 pool in the container; the rest is the driver's command line.</summary>
    internal const string Script =
        """
        set -e
        mount -t tmpfs loam-container "$1"
        mkdir -p "$3"
        mount --bind "$2" "$3"
        shift 3
        exec "$@"
        """;

    private ContainerMounts(string privateDirectory, string hostPool, string sharedRoot)
    {
        PrivateDirectory = privateDirectory;
        HostPool = hostPool;
        SharedRoot = sharedRoot;
    }

    public string PrivateDirectory { get; }
    public string HostPool { get; }
    public string ContainerPool => Path.Combine(PrivateDirectory, "pool");
    public string SharedRoot { get; }

    public static ContainerMounts Create(TestRoot root, string hostPool, string sharedRoot)
    {
        var privateDirectory = root.Folder("container");
        Shell.Run("mount", "--bind", privateDirectory, privateDirectory);
        Shell.Run("mount", "--make-private", privateDirectory);
        Directory.CreateDirectory(sharedRoot);
        Shell.Run("mount", "--bind", sharedRoot, sharedRoot);
        Shell.Run("mount", "--make-shared", sharedRoot);
        Directory.CreateDirectory(hostPool);
        return new ContainerMounts(privateDirectory, hostPool, sharedRoot);
    }
}
