using SmartSeal.Simulators.Cli;

return SimulatorCli.Build().Parse(args).Invoke();
