using System.Globalization;
using System.Net;
using Loam.Storage;

namespace Loam.Driver.Serve;

/// <summary>Parses <c>--http-endpoint</c>: <c>HOST:PORT</c>, <c>:PORT</c> (all addresses), <c>localhost:PORT</c>.</summary>
public static class HttpEndpointAddress
{
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
            throw StorageException.InvalidArgument($"--http-endpoint '{text}' must be HOST:PORT");
        var host = text[..colon].Trim('[', ']');
        var address = host switch
        {
            "" or "*" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ when IPAddress.TryParse(host, out var ip) => ip,
            _ => throw StorageException.InvalidArgument($"--http-endpoint '{text}': '{host}' is not an IP address"),
        };
        return new IPEndPoint(address, port);
    }
}
