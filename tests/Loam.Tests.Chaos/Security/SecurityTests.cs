using Csi.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Loam.Tests.Chaos.Harness;
using Mono.Unix.Native;

namespace Loam.Tests.Chaos.Security;

/// <summary>
/// What the conformance suite does not check yet: the socket's mode, secrets in every RPC that
/// carries them, the largest volume size, and that mkfs only ever runs on the driver's own loop
/// device of a real image (not whatever an image path was swapped for). The attach limit is in
/// Conformance PublishSpecs; the mount-flag allow-list in the hostile input tests.
/// </summary>
public sealed class SecurityTests
{
    private const string Secret = "s3cr3t-value-that-must-never-appear";
    private const string SecretKey = "password";

    [RootFact]
    public async Task The_socket_is_mode_0660()
    {
        await using var bed = await ChaosBed.StartAsync("socket");

        Assert.Equal(0, Syscall.lstat(bed.SocketPath, out var st));
        Assert.Equal(FilePermissions.S_IFSOCK, st.st_mode & FilePermissions.S_IFMT);
        Assert.Equal("660", Convert.ToString((int)(st.st_mode & (FilePermissions)0x1FF), 8));
    }

    /// <summary>Every RPC in the contract whose request has a secrets field is called with secrets, at debug log level.</summary>
    [RootFact]
    public async Task No_secret_reaches_the_log_or_an_error_message_from_any_RPC_that_carries_secrets()
    {
        await using var bed = await ChaosBed.StartAsync("secrets", extraArguments: ["--log-level", "debug"]);
        var co = new CoClient(bed, new Random(11));
        var volume = new CoVolume(bed, co, "pvc-secret");
        await volume.CreateAsync(16L << 20, thick: false);
        var invoker = bed.Connection.Channel.CreateCallInvoker();
        var called = new List<string>();
        var details = new List<string>();

        foreach (var service in CsiReflection.Descriptor.Services)
        {
            foreach (var method in service.Methods.Where(m => !m.IsClientStreaming))
            {
                if (method.InputType.FindFieldByName("secrets") is not { } secrets)
                    continue;
                var request = Fill(method.InputType, volume);
                var map = (System.Collections.IDictionary)secrets.Accessor.GetValue(request);
                map[SecretKey] = Secret;
                map["token"] = Secret + "-token";
                var rpc = new Method<byte[], byte[]>(method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary, service.FullName, method.Name,
                    Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
                var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60));
                try
                {
                    if (method.IsServerStreaming)
                    {
                        using var stream = invoker.AsyncServerStreamingCall(rpc, null, options, request.ToByteArray());
                        while (await stream.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }
                    }
                    else
                        await invoker.AsyncUnaryCall(rpc, null, options, request.ToByteArray());
                }
                catch (RpcException e)
                {
                    details.Add($"{method.Name}: {e.Status.Detail}");
                }
                called.Add(method.Name);
            }
        }
        await bed.StopDriverAsync();

        Assert.Contains("CreateVolume", called);
        Assert.Contains("NodeStageVolume", called);
        Assert.Contains("CreateSnapshot", called);
        Assert.Contains("GetMetadataAllocated", called);
        Assert.True(called.Count >= 10, $"only {called.Count} RPCs carry secrets: {string.Join(", ", called)}");
        Assert.DoesNotContain(Secret, bed.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(details, d => d.Contains(Secret, StringComparison.Ordinal));
        Assert.Contains("***stripped***", bed.AllOutput, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task The_largest_volume_size_is_enforced_on_create_and_on_expand()
    {
        await using var bed = await ChaosBed.StartAsync("maxsize", extraArguments: ["--max-volume-size", "64Mi"]);
        var co = new CoClient(bed, new Random(12));

        var tooBig = await Assert.ThrowsAsync<RpcException>(() => new CoVolume(bed, co, "pvc-big").CreateAsync(65L << 20, thick: false));
        Assert.Equal(StatusCode.OutOfRange, tooBig.StatusCode);
        var volume = new CoVolume(bed, co, "pvc-max");
        await volume.CreateAsync(64L << 20, thick: false);
        var expand = new ControllerExpandVolumeRequest { VolumeId = volume.Id, CapacityRange = new() { RequiredBytes = 128L << 20 } };
        var grown = await Assert.ThrowsAsync<RpcException>(() => co.Call("expand", (c, o) => c.Controller.ControllerExpandVolumeAsync(expand, o)));
        Assert.Equal(StatusCode.OutOfRange, grown.StatusCode);

        Assert.Empty(await PoolAudit.CheckAsync(bed, co, new Dictionary<string, long> { [volume.Id] = 64L << 20 }, [], 0));
    }

    /// <summary>
    /// Someone with write access to the pool swaps a volume's image for a symlink to a file outside
    /// it: staging must not attach, format or mount that file.
    /// </summary>
    [RootFact]
    public async Task A_volume_image_swapped_for_a_symlink_is_never_attached_or_formatted()
    {
        await using var bed = await ChaosBed.StartAsync("swapped");
        var co = new CoClient(bed, new Random(13));
        var volume = new CoVolume(bed, co, "pvc-swapped");
        await volume.CreateAsync(16L << 20, thick: false);
        var victim = bed.Root.Combine("victim.img");
        await File.WriteAllBytesAsync(victim, new byte[16 << 20]);
        var image = Path.Combine(bed.PoolPath, "volumes", volume.Id + ".img");
        File.Delete(image);
        File.CreateSymbolicLink(image, victim);

        await volume.AttachAsync();
        var stage = await Assert.ThrowsAsync<RpcException>(volume.StageAsync);

        Assert.Equal(StatusCode.FailedPrecondition, stage.StatusCode);
        Assert.Empty(bed.VolumeLoopDevices());
        Assert.Empty(MountCleanup.LoopDevicesBackedUnder(victim));
        Assert.All(await File.ReadAllBytesAsync(victim), b => Assert.Equal(0, b));
    }

    /// <summary>A request of the given type that would work on <paramref name="volume"/>: IDs, node, paths and a capability set.</summary>
    private static IMessage Fill(MessageDescriptor type, CoVolume volume)
    {
        var message = (IMessage)Activator.CreateInstance(type.ClrType)!;
        void Set(string field, object value)
        {
            if (type.FindFieldByName(field) is { } f)
            {
                if (f.IsRepeated)
                    ((System.Collections.IList)f.Accessor.GetValue(message)).Add(value);
                else
                    f.Accessor.SetValue(message, value);
            }
        }
        Set("name", "secret-" + type.Name);
        Set("volume_id", volume.Id);
        Set("source_volume_id", volume.Id);
        Set("source_volume_ids", volume.Id);
        Set("snapshot_id", "snap-00000000000000000000000000000000");
        Set("base_snapshot_id", "snap-00000000000000000000000000000000");
        Set("target_snapshot_id", "snap-00000000000000000000000000000000");
        Set("group_snapshot_id", "group-00000000000000000000000000000000");
        Set("node_id", ChaosBed.NodeId);
        Set("staging_target_path", volume.StagingPath);
        Set("target_path", volume.TargetPath);
        Set("volume_path", volume.StagingPath);
        Set("volume_capability", volume.Capability);
        Set("volume_capabilities", volume.Capability);
        if (type.FindFieldByName("capacity_range") is not null)
            Set("capacity_range", new CapacityRange { RequiredBytes = 32L << 20 });
        if (type.FindFieldByName("mutable_parameters") is { } mutable)
            ((System.Collections.IDictionary)mutable.Accessor.GetValue(message))["provisioning"] = "thin";
        return message;
    }
}
