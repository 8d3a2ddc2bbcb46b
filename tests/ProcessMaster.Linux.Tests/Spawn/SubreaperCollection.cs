namespace ProcessMaster.Linux.Tests.Spawn;

/// <summary>Tests that make the test host a child subreaper run alone: no other test's orphans may be re-parented to it meanwhile.</summary>
[CollectionDefinition(nameof(SubreaperCollection), DisableParallelization = true)]
public sealed class SubreaperCollection;
