using Csi.V1;
using Grpc.Core;
using RpcType = Csi.V1.ControllerServiceCapability.Types.RPC.Types.Type;

namespace Loam.Tests.Conformance.Controller;

/// <summary>csi-sanity "ControllerGetCapabilities", "GetCapacity" and "ListVolumes".</summary>
public sealed class ListAndCapacitySpecs(SanityDriver driver) : SanityTest(driver)
{
    [Fact]
    public async Task ControllerGetCapabilities_returns_only_known_capabilities_including_the_essentials()
    {
        var response = await Csi.Controller.ControllerGetCapabilitiesAsync(new ControllerGetCapabilitiesRequest());

        var types = response.Capabilities.Select(c => c.Rpc.Type).ToList();
        Assert.All(types, t => Assert.True(Enum.IsDefined(t) && t != RpcType.Unknown, $"unknown capability {t}"));
        Assert.Equal(types.Count, types.Distinct().Count());
        Assert.Contains(RpcType.CreateDeleteVolume, types);
        Assert.Contains(RpcType.PublishUnpublishVolume, types);
        Assert.Contains(RpcType.ListVolumes, types);
        Assert.Contains(RpcType.GetCapacity, types);
        // The sanity driver has a node-local default pool: expansion is the node's (ControllerCapabilities).
        Assert.DoesNotContain(RpcType.ExpandVolume, types);
    }

    [Fact]
    public async Task GetCapacity_returns_capacity_with_no_optional_values()
    {
        var response = await Csi.Controller.GetCapacityAsync(new GetCapacityRequest());

        Assert.True(response.AvailableCapacity > 0);
    }

    [Fact]
    public async Task GetCapacity_of_the_full_pool_is_zero_and_of_an_unknown_pool_invalid()
    {
        var full = new GetCapacityRequest();
        full.Parameters.Add("pool", SanityDriver.FullPool);
        var unknown = new GetCapacityRequest();
        unknown.Parameters.Add("pool", "nowhere");

        Assert.Equal(0, (await Csi.Controller.GetCapacityAsync(full)).AvailableCapacity);
        await AssertFails(StatusCode.InvalidArgument, () => Csi.Controller.GetCapacityAsync(unknown));
    }

    [Fact]
    public async Task ListVolumes_returns_appropriate_values()
    {
        await MustCreateVolume(CreateVolumeRequest(UniqueName("list")));

        var response = await Csi.Controller.ListVolumesAsync(new ListVolumesRequest());

        Assert.All(response.Entries, e => Assert.NotEmpty(e.Volume.VolumeId));
        Assert.All(response.Entries, e => Assert.NotNull(e.Status.VolumeCondition));
    }

    [Fact]
    public async Task ListVolumes_fails_when_an_invalid_starting_token_is_passed() =>
        await AssertFails(StatusCode.Aborted, () => Csi.Controller.ListVolumesAsync(new ListVolumesRequest { StartingToken = "invalid-token" }));

    [Fact]
    public async Task ListVolumes_shows_new_volumes_and_no_deleted_ones()
    {
        var before = (await Csi.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries.Count;
        var volume = await MustCreateVolume(CreateVolumeRequest("sanity-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(before + 1, (await Csi.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries.Count);
        await Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });
        Assert.Equal(before, (await Csi.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries.Count);
    }

    [Fact]
    public async Task ListVolumes_pagination_accepts_tokens_after_deletes_and_never_repeats_an_entry()
    {
        var existing = new Dictionary<string, bool>();
        foreach (var entry in (await Csi.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries)
            existing[entry.Volume.VolumeId] = true;
        var minimum = Math.Max(3, existing.Count);
        for (var i = existing.Count; i < minimum; i++)
            existing[(await MustCreateVolume(CreateVolumeRequest(UniqueName($"page-{i}")))).VolumeId] = true;

        var first = await Csi.Controller.ListVolumesAsync(new ListVolumesRequest { MaxEntries = 2 });
        Assert.Equal(2, first.Entries.Count);
        Assert.NotEmpty(first.NextToken);
        foreach (var entry in first.Entries)
        {
            Assert.True(existing[entry.Volume.VolumeId]);
            await Csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = entry.Volume.VolumeId });
            existing[entry.Volume.VolumeId] = false;
        }
        existing[(await MustCreateVolume(CreateVolumeRequest(UniqueName("new-addition")))).VolumeId] = true;

        var rest = await Csi.Controller.ListVolumesAsync(new ListVolumesRequest { StartingToken = first.NextToken });

        Assert.True(rest.Entries.Count <= minimum - 2 + 1);
        foreach (var entry in rest.Entries)
        {
            Assert.True(existing[entry.Volume.VolumeId], $"{entry.Volume.VolumeId} listed twice or after its delete");
            existing[entry.Volume.VolumeId] = false;
        }
    }

    [Fact]
    public async Task ListVolumes_pages_of_one_walk_every_volume()
    {
        var made = new HashSet<string>();
        for (var i = 0; i < 4; i++)
            made.Add((await MustCreateVolume(CreateVolumeRequest(UniqueName($"walk-{i}")))).VolumeId);

        var seen = new List<string>();
        var token = "";
        do
        {
            var page = await Csi.Controller.ListVolumesAsync(new ListVolumesRequest { MaxEntries = 1, StartingToken = token });
            seen.AddRange(page.Entries.Select(e => e.Volume.VolumeId));
            token = page.NextToken;
        }
        while (token.Length > 0);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(made, seen.ToHashSet());
    }
}
