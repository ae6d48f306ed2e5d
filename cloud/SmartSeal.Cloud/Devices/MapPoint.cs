namespace SmartSeal.Cloud.Devices;

/// <summary>A point of a lock's track as a map draws it (degrees, device time).</summary>
public sealed record MapPoint(double Lat, double Lon, long DeviceMs, int AccuracyM);
