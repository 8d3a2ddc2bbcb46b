using System.Text;
using ProcessMaster.Linux.Files;
using ProcessMaster.Linux.Interop;
using ProcessMaster.Testing;

namespace ProcessMaster.Linux.Tests;

/// <summary>A FIFO in a temp directory that the test reads lines from (opened O_RDWR, so opening never blocks).</summary>
internal sealed class TestFifo : IDisposable
{
    private readonly TempDirectory _dir = new("pm-fifo-");
    private readonly FileStream _stream;
    private readonly StreamReader _reader;

    public TestFifo()
    {
        Path = _dir.File("out.fifo");
        using (ConfinedDirectory dir = ConfinedDirectory.Open(_dir.Path))
        {
            if (Libc.MkfifoAt(dir.Handle, "out.fifo", Convert.ToUInt32("666", 8)) != 0)
            {
                throw LinuxException.FromLastError("mkfifo", Path);
            }
        }

        _stream = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 1);
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    public string Path { get; }

    /// <summary>Reads one line; the timeout message says what was awaited.</summary>
    public async Task<string> ReadLineAsync(TimeSpan timeout, string awaited)
    {
        Task<string?> read = Task.Run(_reader.ReadLine);
        try
        {
            return await read.WaitAsync(timeout) ?? throw new EndOfStreamException($"FIFO closed while waiting for {awaited}");
        }
        catch (TimeoutException)
        {
            _stream.Write("\n"u8); // unblock the reader thread
            throw new TimeoutException($"timed out after {timeout.TotalMilliseconds:0} ms waiting for {awaited} on {Path}");
        }
    }

    /// <summary>Writes one line into the FIFO (for a child that reads it).</summary>
    public void WriteLine(string line)
    {
        _stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
        _stream.Flush();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _dir.Dispose();
    }
}
