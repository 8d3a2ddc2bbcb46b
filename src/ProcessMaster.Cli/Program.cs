using ProcessMaster.Protocol;
Console.WriteLine(BuildInfo.Banner);
return 0;
