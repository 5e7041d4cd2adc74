using System.Net.Sockets;
using Csi.V1;
using Grpc.Net.Client;

namespace Loam.Client;

/// <summary>
/// A connection to any CSI endpoint on a unix socket (HTTP/2 with prior knowledge, as CSI
/// requires), with a client for each CSI service.
/// </summary>
public sealed class CsiConnection : IDisposable
{
    private CsiConnection(string socketPath, GrpcChannel channel)
    {
        SocketPath = socketPath;
        Channel = channel;
        Identity = new Identity.IdentityClient(channel);
        Controller = new Controller.ControllerClient(channel);
        Node = new Node.NodeClient(channel);
        GroupController = new GroupController.GroupControllerClient(channel);
        SnapshotMetadata = new SnapshotMetadata.SnapshotMetadataClient(channel);
    }

    public string SocketPath { get; }
    public GrpcChannel Channel { get; }
    public Identity.IdentityClient Identity { get; }
    public Controller.ControllerClient Controller { get; }
    public Node.NodeClient Node { get; }
    public GroupController.GroupControllerClient GroupController { get; }
    public SnapshotMetadata.SnapshotMetadataClient SnapshotMetadata { get; }

    /// <param name="endpoint"><c>unix:///path/csi.sock</c> or an absolute socket path.</param>
    public static CsiConnection Open(string endpoint)
    {
        var path = endpoint.StartsWith("unix://", StringComparison.Ordinal) ? endpoint["unix://".Length..] : endpoint;
        if (!Path.IsPathFullyQualified(path))
            throw new ArgumentException($"endpoint '{endpoint}' must be unix:///ABSOLUTE/PATH", nameof(endpoint));
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            EnableMultipleHttp2Connections = true,
        };
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        return new CsiConnection(path, channel);
    }

    public void Dispose() => Channel.Dispose();
}
