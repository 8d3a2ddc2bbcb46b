using System.Text;
using ProcessMaster.Linux.Interop;

namespace ProcessMaster.Linux.Logs;

/// <summary>Turning inotify events into reads and file switches.</summary>
public sealed partial class LogFollower
{
    private readonly byte[] _events = new byte[16 * 1024];

    private unsafe void HandleEvents()
    {
        bool modified = false, switched = false;
        while (true)
        {
            nint n;
            fixed (byte* buffer = _events) n = LogsLibc.Read(_inotify, buffer, (nuint)_events.Length);
            if (n <= 0) break;
            for (int i = 0; i < n;)
            {
                int wd = BitConverter.ToInt32(_events, i);
                uint mask = BitConverter.ToUInt32(_events, i + 4);
                int nameLength = BitConverter.ToInt32(_events, i + 12);
                string name = nameLength == 0 ? "" : Encoding.UTF8.GetString(_events, i + LogsLibc.SizeOfInotifyEvent, nameLength).TrimEnd('\0');
                i += LogsLibc.SizeOfInotifyEvent + nameLength;
                if ((mask & LogsLibc.IN_Q_OVERFLOW) != 0) { modified = switched = true; continue; }
                if (wd == _fileWatch && (mask & LogsLibc.IN_MODIFY) != 0) modified = true;
                if (wd == _fileWatch && (mask & (LogsLibc.IN_MOVE_SELF | LogsLibc.IN_DELETE_SELF)) != 0) switched = true;
                if (wd == _directoryWatch && name == _name) switched = true;
            }
        }
        if (modified || switched) ReadNew();
        if (!switched) return;
        // Rotation: the old file is complete (capture rotates at a line end); take the new one from its start.
        if (_partial.Count > 0) FlushPartial();
        if (OpenCurrent(atEnd: false)) ReadNew();
    }
}
