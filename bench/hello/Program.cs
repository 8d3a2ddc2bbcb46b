// A NativeAOT hello world with the repository's build settings: what `pmctl version` would cost if it did nothing else.
Console.WriteLine("hello");
