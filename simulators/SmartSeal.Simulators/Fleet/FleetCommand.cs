namespace SmartSeal.Simulators.Fleet;

public static class FleetCommand
{
    public static int Run(FleetOptions options) => throw new NotImplementedException();
}
