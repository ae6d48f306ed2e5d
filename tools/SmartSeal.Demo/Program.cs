using System.CommandLine;
using SmartSeal.Demo;

// ./scripts/run.sh: the cloud with its embedded broker, SQLite and photo store, simulated devices
// running the real firmware against it, and a live view (--tour for a scripted walk-through,
// --reset to start from fresh data, --help for the rest).
return await DemoCommand.Create().Parse(args).InvokeAsync();
