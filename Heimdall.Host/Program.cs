using Heimdall.Host.Commands;

return HeimdallCli.Build().Parse(args).Invoke();
