namespace SmartSeal.Cloud.Alarms;

public enum AlarmSeverity
{
    Info,
    Warning,
    Critical,
}
