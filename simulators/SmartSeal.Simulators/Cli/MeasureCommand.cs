namespace SmartSeal.Simulators.Cli;

public static class MeasureCommand
{
    public static int Run() => throw new NotImplementedException();
}
