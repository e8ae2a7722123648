using BenchmarkDotNet.Running;

// dotnet run -c Release --project Heimdall.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
