namespace SmartSeal.Cloud.Alarms;

/// <summary>One alarm as reports count it: which device, what type, when it was raised (<see cref="AlarmService.RaisedAsync"/>).</summary>
public sealed record RaisedAlarm(string DeviceId, string Type, long RaisedMs);
