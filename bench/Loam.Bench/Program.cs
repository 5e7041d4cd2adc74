using Loam.Bench;

return await BenchCommandLine.Build().Parse(args).InvokeAsync();
