using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Loam.Csi.Http2;

/// <summary>
/// A connection middleware for the CSI unix socket that lets any <c>:authority</c> through.
/// Kestrel resets every HTTP/2 stream whose <c>:authority</c> is not a valid host, with no
/// option to turn that check off (dotnet/aspnetcore#18522), and kubelets before 1.26 send the
/// socket's path there. On a unix socket the authority names nothing, so the relay rewrites
/// every request's header block (<see cref="HeaderBlockRewriter"/>) before Kestrel reads it;
/// all other frames pass through unchanged. Only the unix socket's listener uses it.
/// </summary>
public sealed class Http2AuthorityRelay
{
    private const int FrameHeaderLength = 9;
    private const byte HeadersFrame = 0x1;
    private const byte ContinuationFrame = 0x9;
    private const byte EndStream = 0x1;
    private const byte EndHeaders = 0x4;
    private const byte Padded = 0x8;
    private const byte Priority = 0x20;
    private const int MaxHeaderBlock = 1 << 20;
    private static readonly int PrefaceLength = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".Length;

    private readonly int _maxFrameSize;
    private readonly HeaderBlockRewriter _rewriter;
    private List<byte>? _block;
    private byte _blockFlags;
    private int _blockStream;

    private Http2AuthorityRelay(int maxFrameSize, int headerTableSize)
    {
        _maxFrameSize = maxFrameSize;
        _rewriter = new HeaderBlockRewriter(headerTableSize);
    }

    /// <param name="maxFrameSize">the largest frame the server accepts (Kestrel's Http2.MaxFrameSize).</param>
    /// <param name="headerTableSize">the HPACK table size the server announces (Http2.HeaderTableSize).</param>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(int maxFrameSize, int headerTableSize) =>
        next => async connection =>
        {
            var transport = connection.Transport;
            var rewritten = new Pipe();
            using var stop = new CancellationTokenSource();
            var relay = new Http2AuthorityRelay(maxFrameSize, headerTableSize);
            var pump = relay.PumpAsync(transport.Input, rewritten.Writer, stop.Token);
            connection.Transport = new RelayedPipe(rewritten.Reader, transport.Output);
            try
            {
                await next(connection);
            }
            finally
            {
                await stop.CancelAsync();
                await pump;
                connection.Transport = transport;
            }
        };

    private async Task PumpAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        var prefaceSeen = false;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                if (!prefaceSeen && buffer.Length >= PrefaceLength)
                {
                    Copy(buffer.Slice(0, PrefaceLength), output);
                    buffer = buffer.Slice(PrefaceLength);
                    prefaceSeen = true;
                }
                while (prefaceSeen && TryTakeFrame(ref buffer, out var frame))
                    Relay(frame, output);
                input.AdvanceTo(buffer.Start, buffer.End);
                var flushed = await output.FlushAsync(cancellationToken);
                if (result.IsCompleted || flushed.IsCompleted)
                    break;
            }
            await output.CompleteAsync();
        }
        catch (Exception e)
            when (e is OperationCanceledException or HpackException or InvalidDataException or IOException)
        {
            await output.CompleteAsync(e);
        }
        finally
        {
            await input.CompleteAsync();
        }
    }

    private static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < FrameHeaderLength)
            return false;
        Span<byte> header = stackalloc byte[FrameHeaderLength];
        buffer.Slice(0, FrameHeaderLength).CopyTo(header);
        var length = FrameHeaderLength + ((header[0] << 16) | (header[1] << 8) | header[2]);
        if (buffer.Length < length)
            return false;
        frame = buffer.Slice(0, length);
        buffer = buffer.Slice(length);
        return true;
    }

    private void Relay(ReadOnlySequence<byte> frame, PipeWriter output)
    {
        var bytes = frame.ToArray();
        var type = bytes[3];
        var flags = bytes[4];
        var stream = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(5)) & int.MaxValue;
        var payload = bytes.AsSpan(FrameHeaderLength);
        if (type == HeadersFrame)
        {
            if (_block is not null)
                throw new InvalidDataException("a HEADERS frame arrived before the previous header block ended");
            _block = [];
            _blockFlags = flags;
            _blockStream = stream;
            Append(Fragment(payload, flags));
        }
        else if (type == ContinuationFrame && _block is not null && stream == _blockStream)
            Append(payload);
        else
        {
            output.Write(bytes);
            return;
        }
        if ((flags & EndHeaders) != 0)
        {
            var block = _rewriter.Rewrite(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_block));
            _block = null;
            WriteHeaderBlock(output, block, (byte)(_blockFlags & EndStream), _blockStream);
        }
    }

    private static ReadOnlySpan<byte> Fragment(ReadOnlySpan<byte> payload, byte flags)
    {
        var start = (flags & Padded) != 0 ? 1 : 0;
        var padding = start == 1 && payload.Length > 0 ? payload[0] : 0;
        if ((flags & Priority) != 0)
            start += 5;
        if (start + padding > payload.Length)
            throw new InvalidDataException("a HEADERS frame is shorter than its padding and priority");
        return payload[start..(payload.Length - padding)];
    }

    private void Append(ReadOnlySpan<byte> fragment)
    {
        if (_block!.Count + fragment.Length > MaxHeaderBlock)
            throw new InvalidDataException("a header block exceeds 1 MiB");
        _block.AddRange(fragment);
    }

    /// <summary>One HEADERS frame, then CONTINUATION frames when the block exceeds the server's frame size.</summary>
    private void WriteHeaderBlock(PipeWriter output, byte[] block, byte endStream, int stream)
    {
        var offset = 0;
        var type = HeadersFrame;
        do
        {
            var length = Math.Min(_maxFrameSize, block.Length - offset);
            var last = offset + length == block.Length;
            var flags = (byte)((type == HeadersFrame ? endStream : 0) | (last ? EndHeaders : 0));
            var span = output.GetSpan(FrameHeaderLength + length);
            span[0] = (byte)(length >> 16);
            span[1] = (byte)(length >> 8);
            span[2] = (byte)length;
            span[3] = type;
            span[4] = flags;
            BinaryPrimitives.WriteInt32BigEndian(span[5..], stream);
            block.AsSpan(offset, length).CopyTo(span[FrameHeaderLength..]);
            output.Advance(FrameHeaderLength + length);
            offset += length;
            type = ContinuationFrame;
        }
        while (offset < block.Length);
    }

    private static void Copy(ReadOnlySequence<byte> bytes, PipeWriter output)
    {
        foreach (var segment in bytes)
            output.Write(segment.Span);
    }

    private sealed record RelayedPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
