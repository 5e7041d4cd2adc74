using Loam.Storage.Os;
using Loam.Tests.Unit.Fakes;

namespace Loam.Tests.Unit.Storage;

public sealed class DirectorySyncsTests
{
    private const string Folder = "/pool/volumes";

    private static Task Commit(DirectorySyncs syncs, GatedFsync fsync, string name) =>
        Task.Factory.StartNew(() =>
        {
            fsync.Rename(name);
            syncs.Sync(Folder);
            // What every caller is promised: once Sync returns, its own name is durable.
            Assert.True(fsync.IsDurable(name), $"{name} returned before an fsync covered it");
        }, TaskCreationOptions.LongRunning);

    private static bool AwaitWaiting(DirectorySyncs syncs, int callers) =>
        SpinWait.SpinUntil(() => syncs.Waiting(Folder) == callers, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Callers_that_arrive_while_an_fsync_runs_are_all_covered_by_the_one_fsync_after_it()
    {
        var fsync = new GatedFsync();
        var syncs = new DirectorySyncs(fsync);
        var first = Commit(syncs, fsync, "a");
        Assert.True(fsync.AwaitStart(1));

        Task[] waiting = [Commit(syncs, fsync, "b"), Commit(syncs, fsync, "c"), Commit(syncs, fsync, "d")];
        Assert.True(AwaitWaiting(syncs, 3));
        Assert.Equal(1, fsync.Started);

        fsync.Open(1);
        await first;
        Assert.True(fsync.AwaitStart(2));
        Assert.All(waiting, t => Assert.False(t.IsCompleted));
        fsync.Open(2);
        await Task.WhenAll(waiting);

        Assert.Equal(2, fsync.Started);
        Assert.All(["a", "b", "c", "d"], name => Assert.True(fsync.IsDurable(name)));
    }

    [Fact]
    public async Task A_caller_that_renamed_after_an_fsync_started_is_not_reported_durable_by_it()
    {
        var fsync = new GatedFsync();
        var syncs = new DirectorySyncs(fsync);
        var early = Commit(syncs, fsync, "early");
        Assert.True(fsync.AwaitStart(1));
        var late = Commit(syncs, fsync, "late");
        Assert.True(AwaitWaiting(syncs, 1));

        fsync.Open(1);
        await early;

        Assert.True(fsync.IsDurable("early"));
        Assert.False(fsync.IsDurable("late"));
        Assert.True(fsync.AwaitStart(2));
        Assert.False(late.IsCompleted);
        fsync.Open(2);
        await late;
        Assert.True(fsync.IsDurable("late"));
    }

    [Fact]
    public async Task A_caller_alone_gets_an_fsync_of_its_own_each_time()
    {
        var fsync = new GatedFsync();
        var syncs = new DirectorySyncs(fsync);
        for (var call = 1; call <= 3; call++)
        {
            fsync.Open(call);
            await Commit(syncs, fsync, $"r{call}");
        }

        Assert.Equal(3, fsync.Started);
    }

    [Fact]
    public async Task A_failed_fsync_fails_every_caller_it_was_to_cover_and_the_next_one_succeeds()
    {
        var fsync = new GatedFsync { FailingCall = 2 };
        var syncs = new DirectorySyncs(fsync);
        var first = Commit(syncs, fsync, "a");
        Assert.True(fsync.AwaitStart(1));
        Task[] failing = [Commit(syncs, fsync, "b"), Commit(syncs, fsync, "c")];
        Assert.True(AwaitWaiting(syncs, 2));

        fsync.Open(1);
        fsync.Open(2);
        await first;
        foreach (var task in failing)
            await Assert.ThrowsAsync<IOException>(() => task);

        fsync.Open(3);
        await Commit(syncs, fsync, "b");
        Assert.True(fsync.IsDurable("b"));
    }
}
