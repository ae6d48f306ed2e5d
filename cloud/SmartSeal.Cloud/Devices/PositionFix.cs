namespace SmartSeal.Cloud.Devices;

/// <summary>
/// One reported position to record: device and server time, the fix (1e-7 degrees, metres,
/// cm/s, 1/100 degree), whether the device said it moves, and whether it is dated too far ahead
/// of the server clock to become the device's latest position.
/// </summary>
public sealed record PositionFix(
    string DeviceId, long Seq, long DeviceMs, long ServerMs, int LatE7, int LonE7, int AccuracyM, int SpeedCmS, int CourseCdeg, bool Moving, bool Future);
