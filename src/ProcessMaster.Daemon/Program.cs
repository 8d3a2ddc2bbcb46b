using ProcessMaster.Protocol;
if (args.Length > 0 && args[0] == "__spawn") return ProcessMaster.Linux.Spawn.SpawnShim.Run(args);
Console.WriteLine(BuildInfo.Banner);
return 0;
