using System.Text;

namespace Loam.Csi.Http2;

/// <summary>
/// Re-encodes the HTTP/2 header blocks of one connection with <c>:authority</c> and
/// <c>host</c> set to <c>localhost</c>. It decodes each block as the server would (keeping the
/// client's dynamic table, RFC 7541) and writes every field as a literal that is not indexed,
/// so the server's own table stays empty and can never disagree with the client's.
/// </summary>
public sealed class HeaderBlockRewriter(int maxTableSize)
{
    private readonly int _maxTableSize = maxTableSize;
    private const int EntryOverhead = 32;
    private static readonly byte[] Replacement = "localhost"u8.ToArray();

    // Newest first: dynamic index 62 is _table[0].
    private readonly List<(byte[] Name, byte[] Value)> _table = [];
    private int _tableSize;
    private int _tableLimit = maxTableSize;

    /// <exception cref="HpackException">for a block that does not decode.</exception>
    public byte[] Rewrite(ReadOnlySpan<byte> block)
    {
        var output = new List<byte>(block.Length + 16);
        var position = 0;
        while (position < block.Length)
        {
            var first = block[position];
            if ((first & 0x80) != 0)
            {
                var (name, value) = Lookup(ReadInteger(block, ref position, 7));
                Write(output, name, value, neverIndexed: false);
            }
            else if ((first & 0xE0) == 0x20)
                Resize(ReadInteger(block, ref position, 5));
            else
            {
                var indexed = (first & 0xC0) == 0x40;
                var neverIndexed = (first & 0xF0) == 0x10;
                var nameIndex = ReadInteger(block, ref position, indexed ? 6 : 4);
                var name = nameIndex == 0 ? ReadString(block, ref position) : Lookup(nameIndex).Name;
                var value = ReadString(block, ref position);
                if (indexed)
                    Insert(name, value);
                Write(output, name, value, neverIndexed);
            }
        }
        return [.. output];
    }

    private static void Write(List<byte> output, byte[] name, byte[] value, bool neverIndexed)
    {
        var authority = name.AsSpan().SequenceEqual(":authority"u8) || name.AsSpan().SequenceEqual("host"u8);
        output.Add(neverIndexed ? (byte)0x10 : (byte)0x00);
        WriteString(output, name);
        WriteString(output, authority ? Replacement : value);
    }

    private static void WriteString(List<byte> output, byte[] text)
    {
        WriteInteger(output, text.Length, 7, 0x00);
        output.AddRange(text);
    }

    private static void WriteInteger(List<byte> output, int value, int prefixBits, byte flags)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            output.Add((byte)(flags | value));
            return;
        }
        output.Add((byte)(flags | max));
        for (value -= max; value >= 0x80; value >>= 7)
            output.Add((byte)((value & 0x7F) | 0x80));
        output.Add((byte)value);
    }

    private static int ReadInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits)
    {
        var max = (1 << prefixBits) - 1;
        var value = block[position++] & max;
        if (value < max)
            return value;
        for (var shift = 0; ; shift += 7)
        {
            if (position >= block.Length || shift > 21)
                throw new HpackException("an HPACK integer is cut short or too large");
            var octet = block[position++];
            value += (octet & 0x7F) << shift;
            if ((octet & 0x80) == 0)
                return value;
        }
    }

    private static byte[] ReadString(ReadOnlySpan<byte> block, ref int position)
    {
        if (position >= block.Length)
            throw new HpackException("an HPACK string is missing");
        var huffman = (block[position] & 0x80) != 0;
        var length = ReadInteger(block, ref position, 7);
        if (length > block.Length - position)
            throw new HpackException("an HPACK string runs past its header block");
        var text = block.Slice(position, length);
        position += length;
        return huffman ? HpackHuffman.Decode(text) : text.ToArray();
    }

    private (byte[] Name, byte[] Value) Lookup(int index)
    {
        if (index >= 1 && index <= HpackStaticTable.Count)
        {
            var (name, value) = HpackStaticTable.Get(index);
            return (Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));
        }
        var dynamic = index - HpackStaticTable.Count - 1;
        return dynamic >= 0 && dynamic < _table.Count
            ? _table[dynamic]
            : throw new HpackException($"HPACK index {index} names no entry");
    }

    private void Insert(byte[] name, byte[] value)
    {
        var size = name.Length + value.Length + EntryOverhead;
        Evict(_tableLimit - size);
        if (size > _tableLimit)
            return;
        _table.Insert(0, (name, value));
        _tableSize += size;
    }

    private void Resize(int size)
    {
        if (size > _maxTableSize)
            throw new HpackException($"an HPACK table size update to {size} exceeds the {_maxTableSize} allowed");
        _tableLimit = size;
        Evict(size);
    }

    private void Evict(int room)
    {
        while (_table.Count > 0 && _tableSize > Math.Max(0, room))
        {
            var (name, value) = _table[^1];
            _tableSize -= name.Length + value.Length + EntryOverhead;
            _table.RemoveAt(_table.Count - 1);
        }
    }
}
