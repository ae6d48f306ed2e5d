using BenchmarkDotNet.Running;

// Usage: scripts/bench.sh [--filter *Envelope*]  (see benchmarks/README.md)
BenchmarkSwitcher.FromAssembly(typeof(SmartSeal.Benchmarks.ProtocolBenchmarks).Assembly).Run(args);
