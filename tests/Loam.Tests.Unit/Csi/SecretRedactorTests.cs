using Csi.V1;
using Loam.Csi;

namespace Loam.Tests.Unit.Csi;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Secret_values_never_reach_the_rendered_request()
    {
        var request = new CreateVolumeRequest { Name = "pvc-1" };
        request.Secrets.Add("password", "hunter2");
        request.Parameters.Add("pool", "default");

        var text = SecretRedactor.Redact(request);

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Contains("password", text, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, text, StringComparison.Ordinal);
        Assert.Contains("pvc-1", text, StringComparison.Ordinal);
        Assert.Equal("hunter2", request.Secrets["password"]);
    }

    [Fact]
    public void Every_request_with_secrets_is_covered()
    {
        IEnumerable<Google.Protobuf.Reflection.MessageDescriptor> requests = CsiReflection.Descriptor.MessageTypes;
        var withSecrets = requests.Where(m => m.Fields.InDeclarationOrder().Any(SecretRedactor.IsSecret)).Select(m => m.Name).ToList();

        Assert.Contains("NodeStageVolumeRequest", withSecrets);
        Assert.Contains("CreateSnapshotRequest", withSecrets);
        Assert.True(withSecrets.Count >= 15, $"only {withSecrets.Count} requests carry secrets: {string.Join(", ", withSecrets)}");
    }

    [Fact]
    public void Mount_flags_are_masked_because_they_may_carry_credentials()
    {
        var request = new NodeStageVolumeRequest { VolumeId = "vol-1", VolumeCapability = new() { Mount = new() } };
        request.VolumeCapability.Mount.MountFlags.Add("password=opensesame");

        var text = SecretRedactor.Redact(request);

        Assert.DoesNotContain("opensesame", text, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_of_a_node_request_are_masked_too()
    {
        var request = new NodeStageVolumeRequest { VolumeId = "vol-1" };
        request.Secrets.Add("token", "s3cr3t-value");

        Assert.DoesNotContain("s3cr3t-value", SecretRedactor.Redact(request), StringComparison.Ordinal);
    }
}
