using SmartSeal.Demo;

// ./scripts/run.sh: the cloud with its embedded broker, SQLite and photo store, simulated devices
// running the real firmware against it, and a live view (add --tour for a scripted walk-through).
// --protocol-tour keeps the earlier walk through the protocol's guarantees on one simulated lock.
if (args.Contains("--protocol-tour"))
{
    return ProtocolTour.Run(args.Where(a => a != "--protocol-tour").ToArray());
}

return await LiveDemo.RunAsync(args);
