using System.Collections.Concurrent;
using Grpc.Core;
using Loam.Client;

namespace Loam.Tests.Chaos.Harness;

/// <summary>
/// Calls the driver as a container orchestrator does: UNAVAILABLE, ABORTED, DEADLINE_EXCEEDED
/// and connection errors are retried with capped exponential backoff and jitter; any other code
/// is final and returned to the caller. An INTERNAL or UNKNOWN raised while the driver was being
/// killed is a torn connection, not the driver's answer, and is retried too.
/// </summary>
public sealed class CoClient(ChaosBed bed, Random random, TimeSpan? callTimeout = null)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);
    private readonly TimeSpan _callTimeout = callTimeout ?? TimeSpan.FromSeconds(60);
    private long _calls;
    private long _retries;

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Every code the driver answered, retried ones included: how often ABORTED told a caller to come back.</summary>
    public ConcurrentDictionary<StatusCode, int> CodesSeen { get; } = new();
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Retries until the driver gives a final answer; returns the response or throws the final RpcException.</summary>
    public async Task<T> Call<T>(string what, Func<CsiConnection, CallOptions, AsyncUnaryCall<T>> call)
    {
        var started = DateTime.UtcNow;
        var backoff = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var generation = bed.Generation;
            Interlocked.Increment(ref _calls);
            try
            {
                using var pending = call(bed.Connection, new CallOptions(deadline: DateTime.UtcNow + _callTimeout));
                var response = await pending.ResponseAsync;
                CodesSeen.AddOrUpdate(StatusCode.OK, 1, (_, n) => n + 1);
                return response;
            }
            catch (RpcException e) when (Seen(e))
            {
                throw;
            }
            catch (RpcException e) when (IsRetryable(e.StatusCode) || (IsTornConnection(e.StatusCode) && bed.Generation != generation))
            {
                if (DateTime.UtcNow - started > GiveUpAfter)
                    throw new TimeoutException($"{what} still failing after {GiveUpAfter}: {e.Status}", e);
            }
            catch (ObjectDisposedException)
            {
                // A driver restart replaced the connection under this call.
            }
            Interlocked.Increment(ref _retries);
            int jitter;
            lock (random)
                jitter = random.Next((int)backoff.TotalMilliseconds + 1);
            await Task.Delay(backoff + TimeSpan.FromMilliseconds(jitter));
            backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 400));
        }
    }

    private bool Seen(RpcException e)
    {
        CodesSeen.AddOrUpdate(e.StatusCode, 1, (_, n) => n + 1);
        return false;
    }

    /// <summary>Codes after which the CO tries the same call again (the spec's "retry with backoff").</summary>
    public static bool IsRetryable(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.Aborted or StatusCode.DeadlineExceeded or StatusCode.Cancelled;

    private static bool IsTornConnection(StatusCode code) => code is StatusCode.Internal or StatusCode.Unknown;
}
