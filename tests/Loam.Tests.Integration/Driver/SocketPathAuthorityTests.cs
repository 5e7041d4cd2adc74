using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Loam.Tests.Integration.Driver;

/// <summary>
/// Kubelets before 1.26 (grpc-go dialing a bare path) send the socket's path as HTTP/2
/// <c>:authority</c>. A hand-made HTTP/2 client sends it the way they do: the first request
/// indexes the path in the HPACK dynamic table, the second refers to it by index.
/// </summary>
public sealed class SocketPathAuthorityTests
{
    private const string Authority = "/var/lib/kubelet/plugins/loam.csi.dev/csi.sock";

    [Fact]
    public async Task Calls_whose_authority_is_the_socket_path_are_answered()
    {
        using var root = new TestRoot("authority");
        await using var driver = await DriverProcess.StartAsync(root.Combine("csi.sock"), ["--node-id", "n1", "--pool", $"default={root.Folder("pool")}"]);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(driver.SocketPath));
        await using var stream = new NetworkStream(socket);

        await stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        await WriteFrameAsync(stream, 0x4, 0, 0, []);
        await WriteRequestAsync(stream, 1, [0x41, (byte)Authority.Length, .. Encoding.ASCII.GetBytes(Authority)]);
        await WriteRequestAsync(stream, 3, [0xBE]);
        var answers = await ReadAnswersAsync(stream, 1, 3);

        Assert.All(answers.Values, data => Assert.Contains("loam.csi.dev", Encoding.ASCII.GetString(data), StringComparison.Ordinal));
    }

    /// <summary>GetPluginInfo on <paramref name="id"/> with the given <c>:authority</c> representation.</summary>
    private static async Task WriteRequestAsync(Stream stream, int id, byte[] authority)
    {
        var path = "/csi.v1.Identity/GetPluginInfo"u8.ToArray();
        byte[] block =
        [
            0x83, 0x86, 0x04, (byte)path.Length, .. path, .. authority,
            0x0F, 0x10, 16, .. "application/grpc"u8.ToArray(), 0x00, 2, .. "te"u8.ToArray(), 8, .. "trailers"u8.ToArray(),
        ];
        await WriteFrameAsync(stream, 0x1, 0x4, id, block);
        await WriteFrameAsync(stream, 0x0, 0x1, id, [0, 0, 0, 0, 0]);
    }

    /// <summary>The DATA each stream got, once every stream has ended; a reset or GOAWAY fails the test.</summary>
    private static async Task<Dictionary<int, byte[]>> ReadAnswersAsync(Stream stream, params int[] ids)
    {
        var data = ids.ToDictionary(id => id, _ => new List<byte>());
        var open = new HashSet<int>(ids);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var header = new byte[9];
        while (open.Count > 0)
        {
            await stream.ReadExactlyAsync(header, timeout.Token);
            var payload = new byte[(header[0] << 16) | (header[1] << 8) | header[2]];
            await stream.ReadExactlyAsync(payload, timeout.Token);
            var (type, flags, id) = (header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue);
            if (type == 0x3)
                Assert.Fail($"stream {id} was reset (error {BinaryPrimitives.ReadUInt32BigEndian(payload)})");
            Assert.False(type == 0x7, "the server sent GOAWAY");
            if (type == 0x4 && (flags & 0x1) == 0)
                await WriteFrameAsync(stream, 0x4, 0x1, 0, []);
            if (type == 0x0 && data.TryGetValue(id, out var bytes))
                bytes.AddRange(payload);
            if (type is 0x0 or 0x1 && (flags & 0x1) != 0)
                open.Remove(id);
        }
        return data.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    private static async Task WriteFrameAsync(Stream stream, byte type, byte flags, int id, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), id);
        payload.CopyTo(frame, 9);
        await stream.WriteAsync(frame);
    }
}
