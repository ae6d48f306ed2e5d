using SmartSeal.Cloud.Ingest;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// Wakes everyone waiting for a command result or a desired-state acknowledgement when something
/// changed in this instance (a result stored, a sweep). Waiters re-read the database, so a change
/// made by another cloud instance is still seen by their periodic re-check.
/// </summary>
public sealed class CommandSignals
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next <see cref="Signal"/>; take it before reading the state you wait on.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Signal() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    /// <summary>Signals each time <paramref name="feed"/> stores a device event with a <typeparamref name="TBody"/> body (the answer the waiters wait for).</summary>
    public void SignalOnStored<TBody>(DeviceEventFeed feed) => feed.Stored += e =>
    {
        if (e.Body is TBody)
        {
            Signal();
        }
    };

    /// <summary>Waits for the next signal, at most <paramref name="limit"/>.</summary>
    public static async Task WaitAsync(Task next, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (limit <= TimeSpan.Zero)
        {
            return;
        }

        await Task.WhenAny(next, Task.Delay(limit, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
