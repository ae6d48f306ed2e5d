namespace SmartSeal.Firmware.Link
{
    /// <summary>
    /// Delay before reconnect attempt n: exponential from <see cref="CloudLinkSettings.InitialBackoffMs"/>,
    /// capped at <see cref="CloudLinkSettings.MaxBackoffMs"/>, with "equal jitter" (half fixed, half
    /// random) so a fleet that lost the broker together does not come back in one wave.
    /// </summary>
    public static class ReconnectBackoff
    {
        /// <param name="failures">Consecutive failed attempts so far (0 = first retry).</param>
        /// <param name="random">A value in [0, 1) from the device's random source.</param>
        public static long DelayMs(int failures, double random, long initialMs, long maxMs)
        {
            long delay = initialMs;
            for (int i = 0; i < failures && delay < maxMs; i++)
            {
                delay *= 2;
            }

            if (delay > maxMs)
            {
                delay = maxMs;
            }

            long half = delay / 2;
            return half + (long)(random * (delay - half));
        }
    }
}
