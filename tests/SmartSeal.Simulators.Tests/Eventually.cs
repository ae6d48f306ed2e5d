namespace SmartSeal.Simulators.Tests;

/// <summary>
/// How tests here wait for the device or the broker: poll a real condition until it holds. The
/// timeout only bounds a failure (then the test fails saying what it awaited).
/// </summary>
internal static class Eventually
{
    public static async Task Async(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        DateTime until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting until {what}");
            await Task.Delay(10); // the poll interval, not a wait for time to pass
        }
    }
}
