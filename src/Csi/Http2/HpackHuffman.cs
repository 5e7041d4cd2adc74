namespace Loam.Csi.Http2;

/// <summary>
/// Decodes HPACK's Huffman-coded strings (RFC 7541 section 5.2, code of appendix B). The code
/// is canonical, so the code lengths alone define it: codes of one length are consecutive,
/// in symbol order, after all shorter ones.
/// </summary>
internal static class HpackHuffman
{
    private const int EndOfString = 256;
    private const int MaxCodeLength = 30;

    /// <summary>The code length of symbols 0..256 (RFC 7541 appendix B): 'A' is 5 bits, up to 'Z', 30.</summary>
    private const string Lengths =
        "ISXXXXXXXTZXXZXXXXXXXXZXXXXXXXXXBFFHIBDGFFDGDBBBAAABBBBBBBCDKBHFIBCCCCCCCCCCCCCCCCCCCCCCDCDIOIJB"
        + "KABABABBBACCBBBABCBAABCCCCCKGJIXPRPPRRRSRSSSSSTSTTRSTSSSSQRSRSSTRQPRRSSQSRRTQRSSQQRQSRSSPRRRSRRS"
        + "VVPORSRUVVVWWVTUOQVWWVWTQQVVXWWWPTPQRQQSRRUUTTVSVWVVWWWWWXWWWWWVZ";

    // Per code length: the first code, how many codes, and where their symbols start in Symbols.
    private static readonly int[] FirstCode = new int[MaxCodeLength + 1];
    private static readonly int[] Count = new int[MaxCodeLength + 1];
    private static readonly int[] Offset = new int[MaxCodeLength + 1];
    private static readonly int[] Symbols = BuildTable();

    /// <exception cref="HpackException">for a code not in the table, EOS inside the string, bad padding.</exception>
    public static byte[] Decode(ReadOnlySpan<byte> encoded)
    {
        var output = new List<byte>(encoded.Length * 8 / 5);
        int code = 0, length = 0;
        foreach (var octet in encoded)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                code = (code << 1) | ((octet >> bit) & 1);
                length++;
                var index = code - FirstCode[length];
                if (index >= 0 && index < Count[length])
                {
                    var symbol = Symbols[Offset[length] + index];
                    if (symbol == EndOfString)
                        throw new HpackException("a Huffman string holds the EOS symbol");
                    output.Add((byte)symbol);
                    code = 0;
                    length = 0;
                }
                else if (length == MaxCodeLength)
                    throw new HpackException("a Huffman string holds an unknown code");
            }
        }
        // What is left is padding: fewer than 8 bits, all ones (the start of EOS).
        if (length > 7 || code != (1 << length) - 1)
            throw new HpackException("a Huffman string ends with bad padding");
        return [.. output];
    }

    private static int[] BuildTable()
    {
        var symbols = Enumerable.Range(0, Lengths.Length).OrderBy(s => Lengths[s]).ThenBy(s => s).ToArray();
        var code = 0;
        var position = 0;
        for (var length = 1; length <= MaxCodeLength; length++)
        {
            FirstCode[length] = code;
            Offset[length] = position;
            while (position < symbols.Length && Lengths[symbols[position]] - 'A' + 5 == length)
            {
                Count[length]++;
                position++;
                code++;
            }
            code <<= 1;
        }
        return symbols;
    }
}
