using System.Text;
using Loam.Csi.Http2;

namespace Loam.Tests.Unit.Csi;

public sealed class HeaderBlockRewriterTests
{
    // RFC 7541 appendix C.4: three requests on one connection, Huffman-coded, sharing the dynamic table.
    private const string FirstRequest = "828684418cf1e3c2e5f23a6ba0ab90f4ff";
    private const string SecondRequest = "828684be5886a8eb10649cbf";
    private const string ThirdRequest = "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf";

    [Fact]
    public void Requests_that_share_the_dynamic_table_decode_in_full_with_the_authority_replaced()
    {
        var rewriter = new HeaderBlockRewriter(4096);

        var first = Fields(rewriter.Rewrite(Convert.FromHexString(FirstRequest)));
        var second = Fields(rewriter.Rewrite(Convert.FromHexString(SecondRequest)));
        var third = Fields(rewriter.Rewrite(Convert.FromHexString(ThirdRequest)));

        Assert.Equal([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "localhost")], first);
        Assert.Equal([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "localhost"), ("cache-control", "no-cache")], second);
        Assert.Equal([(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "localhost"), ("custom-key", "custom-value")], third);
    }

    [Fact]
    public void A_socket_path_as_authority_becomes_localhost_and_other_fields_stay()
    {
        var block = new List<byte> { 0x83, 0x41 };
        var path = "/var/lib/kubelet/plugins/loam.csi.dev/csi.sock"u8.ToArray();
        block.Add((byte)path.Length);
        block.AddRange(path);
        block.Add(0xBE); // the path, now at dynamic index 62

        var fields = Fields(new HeaderBlockRewriter(4096).Rewrite([.. block]));

        Assert.Equal([(":method", "POST"), (":authority", "localhost"), (":authority", "localhost")], fields);
    }

    [Theory]
    [InlineData("c0")] // dynamic index 64 on an empty table
    [InlineData("418cf1e3c2e5f23a6ba0ab90f4")] // a Huffman string cut short
    [InlineData("3fe21f")] // a table size update above the 4096 allowed
    public void A_block_that_does_not_decode_is_refused(string hex) =>
        Assert.Throws<HpackException>(() => new HeaderBlockRewriter(4096).Rewrite(Convert.FromHexString(hex)));

    /// <summary>Decodes the rewriter's output, which is always literals without indexing and raw strings.</summary>
    private static List<(string, string)> Fields(byte[] block)
    {
        var fields = new List<(string, string)>();
        var position = 0;
        while (position < block.Length)
        {
            Assert.Equal(0x00, block[position++] & 0xEF);
            var name = ReadRaw(block, ref position);
            fields.Add((name, ReadRaw(block, ref position)));
        }
        return fields;
    }

    private static string ReadRaw(byte[] block, ref int position)
    {
        var length = block[position++];
        Assert.True(length < 0x7F, "test strings are short");
        var text = Encoding.ASCII.GetString(block, position, length);
        position += length;
        return text;
    }
}
