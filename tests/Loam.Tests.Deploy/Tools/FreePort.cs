using System.Net;
using System.Net.Sockets;

namespace Loam.Tests.Deploy.Tools;

public static class FreePort
{
    /// <summary>A loopback TCP port free a moment ago (the kernel picks it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
