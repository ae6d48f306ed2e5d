using System.Globalization;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation.Authorization;

namespace SmartSeal.Cloud.Alarms;

/// <summary>An alarm belongs to the unit of the device that raised it.</summary>
public sealed class AlarmUnits(AlarmService alarms, DeviceUnits devices) : IObjectUnits
{
    public ObjectKind Kind => ObjectKind.Alarm;

    public async Task<ObjectUnit?> FindAsync(string id, CancellationToken cancellationToken) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long number) && await alarms.FindAsync(number, cancellationToken) is { } alarm
            ? await devices.FindAsync(alarm.DeviceId, cancellationToken) ?? new ObjectUnit(null)
            : null;
}
