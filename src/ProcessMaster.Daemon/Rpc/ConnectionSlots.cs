namespace ProcessMaster.Daemon.Rpc;

/// <summary>
/// Connection slots of the RPC server, shared out so that no one user can lock the others out (N-05): at most
/// <see cref="Total"/> connections; of these, <see cref="Reserved"/> only for privileged peers (root and the
/// daemon's own user), so <c>pmctl</c> run by root always gets in; and at most <see cref="PerUid"/> for any other
/// user id (peers without credentials count as one user). Thread-safe.
/// </summary>
internal sealed class ConnectionSlots
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, int> _byUid = [];
    private readonly Func<int, bool> _isPrivileged;
    private int _total;
    private int _unprivileged;

    /// <summary>Creates the slots.</summary>
    /// <param name="total">All connections.</param>
    /// <param name="reserved">Slots only privileged peers may take.</param>
    /// <param name="perUid">Connections one unprivileged user id may hold.</param>
    /// <param name="isPrivileged">Whether a uid is privileged (root, the daemon's euid).</param>
    public ConnectionSlots(int total, int reserved, int perUid, Func<int, bool> isPrivileged)
    {
        Total = total;
        Reserved = Math.Clamp(reserved, 0, total);
        PerUid = perUid;
        _isPrivileged = isPrivileged;
    }

    /// <summary>All connections.</summary>
    public int Total { get; }

    /// <summary>Slots kept for privileged peers.</summary>
    public int Reserved { get; }

    /// <summary>Connections one unprivileged user may hold.</summary>
    public int PerUid { get; }

    /// <summary>Connections held now.</summary>
    public int InUse
    {
        get
        {
            lock (_lock) return _total;
        }
    }

    /// <summary>Takes a slot for <paramref name="caller"/>; false with the refusal text (STYLE §8) when none is free for it.</summary>
    public bool TryTake(RpcCaller caller, out IDisposable? lease, out string refusal)
    {
        lease = null;
        refusal = "";
        bool privileged = caller.Uid is int uid && _isPrivileged(uid);
        int key = caller.Uid ?? -1;
        lock (_lock)
        {
            if (_total >= Total)
            {
                refusal = $"too many connections (limit {Total}); try again shortly";
                return false;
            }
            if (!privileged)
            {
                if (_unprivileged >= Total - Reserved)
                {
                    refusal = $"too many connections (limit {Total}, of which {Reserved} are kept for root); try again shortly";
                    return false;
                }
                int held = _byUid.GetValueOrDefault(key);
                if (held >= PerUid)
                {
                    string who = caller.Uid is null ? "peers without credentials" : $"uid {caller.Uid}";
                    refusal = $"too many connections from {who} (limit {PerUid} per user); close some (each `pmctl logs -f` holds one) and try again";
                    return false;
                }
                _byUid[key] = held + 1;
                _unprivileged++;
            }
            _total++;
        }
        lease = new Lease(this, privileged, key);
        return true;
    }

    private void Return(bool privileged, int key)
    {
        lock (_lock)
        {
            _total--;
            if (privileged) return;
            _unprivileged--;
            if (--_byUid[key] == 0) _byUid.Remove(key);
        }
    }

    private sealed class Lease(ConnectionSlots owner, bool privileged, int key) : IDisposable
    {
        private int _returned;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0) owner.Return(privileged, key);
        }
    }
}
