namespace SmartSeal.Firmware.Storage
{
    public enum EnqueueResult
    {
        Stored = 0,

        /// <summary>Stored after dropping the oldest telemetry to make room.</summary>
        StoredDroppedTelemetry = 1,

        /// <summary>No room: telemetry is refused when only the critical reserve is left; critical events when the queue holds nothing but critical events.</summary>
        Full = 2,

        /// <summary>The flash itself failed (full or I/O error).</summary>
        StorageFailed = 3,
    }
}
