using BenchmarkDotNet.Running;
using Heimdall.Benchmarks.Load;

// Micro-benchmarks: dotnet run -c Release --project Heimdall.Benchmarks -- --filter '*'
// Load benchmark:   dotnet run -c Release --project Heimdall.Benchmarks -- load [seconds] [connections]
// Soak (issue 10):  dotnet run -c Release --project Heimdall.Benchmarks -- soak [seconds] [connections]
if (args.Length > 0 && args[0] == "load")
{
    return await GatewayLoadBenchmark.RunAsync(args.Skip(1).ToArray());
}
if (args.Length > 0 && args[0] == "soak")
{
    return await SoakBenchmark.RunAsync(args.Skip(1).ToArray());
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
