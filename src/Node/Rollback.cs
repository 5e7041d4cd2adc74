using Microsoft.Extensions.Logging;

namespace Loam.Node;

/// <summary>
/// The node's one rollback rule: what a call made on the way (a device attached, a mount made,
/// a volume created) it undoes, newest first, when a later step throws, whatever the exception.
/// The caller then sees the original exception: an undo that fails itself is logged and never
/// takes its place. Steps the call found already done are never registered, so a retry's
/// failure leaves what an earlier call made alone.
/// </summary>
public sealed class Rollback
{
    private readonly Stack<(string Step, Action Undo)> _undo = new();
    private readonly ILogger _logger;
    private readonly string _operation;
    private readonly string _volumeId;

    private Rollback(ILogger logger, string operation, string volumeId)
    {
        _logger = logger;
        _operation = operation;
        _volumeId = volumeId;
    }

    /// <summary>Registers how to undo a step just done, should a later one fail.</summary>
    public void OnFailure(string step, Action undo) => _undo.Push((step, undo));

    public static void Run(ILogger logger, string operation, string volumeId, Action<Rollback> steps)
    {
        var rollback = new Rollback(logger, operation, volumeId);
        try
        {
            steps(rollback);
        }
        catch (Exception e)
        {
            rollback.Unwind(e);
            throw;
        }
    }

    public static async Task<T> RunAsync<T>(
        ILogger logger, string operation, string volumeId, Func<Rollback, Task<T>> steps)
    {
        var rollback = new Rollback(logger, operation, volumeId);
        try
        {
            return await steps(rollback);
        }
        catch (Exception e)
        {
            rollback.Unwind(e);
            throw;
        }
    }

    private void Unwind(Exception cause)
    {
        if (_undo.Count == 0)
            return;
        NodeLog.RollingBack(_logger, _operation, _volumeId, cause.Message);
        while (_undo.TryPop(out var entry))
        {
            try
            {
                entry.Undo();
            }
#pragma warning disable CA1031 // the original failure is what the caller must see; this one is logged
            catch (Exception e)
#pragma warning restore CA1031
            {
                NodeLog.UndoFailed(_logger, entry.Step, _operation, _volumeId, e.Message);
            }
        }
    }
}
