using SmartSeal.Simulators.Cli;

return SimulatorCli.Build().Parse(args).Invoke();

/// <summary>Internal: the ASP.NET Core reference (the control port's Kestrel) would make it public, clashing with the cloud's <c>Program</c> where tests reference both.</summary>
internal partial class Program;
