namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>
/// The one way tests here (and the portal's and end-to-end tests) wait for something to happen:
/// polls a real condition until it holds. The timeout only bounds a failure (the test then fails
/// saying what it awaited); a passing test waits exactly as long as the system takes.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <param name="state">What the test saw last, for the failure message.</param>
    public static async Task Async(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? state = null)
    {
        DateTime until = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting until {what}{(state == null ? string.Empty : "; last seen: " + state())}");
            await Task.Delay(20); // the poll interval, not a wait for time to pass
        }
    }

    public static Task Async(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? state = null) =>
        Async(() => Task.FromResult(condition()), what, timeout, state);

    /// <summary>Polls until <paramref name="probe"/> finds something, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        T? found = null;
        await Async(async () => (found = await probe()) != null, what, timeout);
        return found!;
    }

    public static Task<T> ValueAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class => ValueAsync(() => Task.FromResult(probe()), what, timeout);
}
