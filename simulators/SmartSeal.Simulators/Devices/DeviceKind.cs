namespace SmartSeal.Simulators.Devices;

public enum DeviceKind
{
    Lock,
    Cabinet,
}
