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
    /// <summary>
    /// $1 private folder, $2 host pool, $3 pool in the container, $4 the test's root; the rest is the
    /// driver's command line. A new namespace starts with a copy of every mount on the machine: the
    /// copies of other tests' mounts would pin their filesystems and loop devices for as long as this
    /// driver lives (tests run in parallel), so they are dropped first, each taken out of its peer
    /// group before it is unmounted so that the unmount never propagates back to the host.
    /// </summary>
    internal const string Script =
        """
        set -e
        own="$4"
        base=$(dirname "$own")
        foreign() {
          awk -v own="$own" -v base="$base/" \
            'index($5, base) == 1 && $5 != own && index($5, own "/") != 1 { print $5 }' /proc/self/mountinfo | sort | head -n 1
        }
        while m=$(foreign) && [ -n "$m" ]; do
          mount --make-rprivate "$m"
          umount -l "$m"
        done
        mount -t tmpfs loam-container "$1"
        mkdir -p "$3"
        mount --bind "$2" "$3"
        shift 4
        exec "$@"
        """;

    private ContainerMounts(string testRoot, string privateDirectory, string hostPool, string sharedRoot)
    {
        TestRoot = testRoot;
        PrivateDirectory = privateDirectory;
        HostPool = hostPool;
        SharedRoot = sharedRoot;
    }

    /// <summary>The test's own root: its mounts are the only ones under the tests' base the namespace keeps.</summary>
    public string TestRoot { get; }
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
        return new ContainerMounts(root.Path, privateDirectory, hostPool, sharedRoot);
    }
}
