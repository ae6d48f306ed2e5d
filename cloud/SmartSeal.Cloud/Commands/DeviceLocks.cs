namespace SmartSeal.Cloud.Commands;

/// <summary>
/// Serialises publishing per device inside this instance (striped, so memory does not grow with
/// the fleet): queued commands go out in counter order and a newer desired state is never
/// overtaken by an older one.
/// </summary>
public sealed class DeviceLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> AcquireAsync(string deviceId, CancellationToken cancellationToken)
    {
        SemaphoreSlim stripe = _stripes[(StringComparer.Ordinal.GetHashCode(deviceId) & int.MaxValue) % _stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    private sealed class Releaser(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
