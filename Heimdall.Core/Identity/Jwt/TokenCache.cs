namespace Heimdall.Core.Identity.Jwt;

/// <summary>
/// A bounded LRU of validated credentials, keyed by <see cref="TokenHash"/>. Entries carry their own expiry and the
/// key-set generation they were validated under; a stale entry is a miss.
/// </summary>
internal sealed class TokenCache<TValue>(int capacity)
    where TValue : class
{
    private readonly Dictionary<TokenHash, LinkedListNode<Entry>> _map = new(Math.Min(capacity, 1024));
    private readonly LinkedList<Entry> _lru = new();
    private readonly Lock _lock = new();

    /// <summary>Entries currently held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    /// <summary>The value cached for <paramref name="key"/>, when it is still valid at <paramref name="now"/> under <paramref name="generation"/>.</summary>
    public TValue? Get(TokenHash key, DateTimeOffset now, long generation)
    {
        if (capacity == 0)
        {
            return null;
        }
        lock (_lock)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                return null;
            }
            var entry = node.Value;
            if (now > entry.ValidUntil || entry.Generation != generation)
            {
                _lru.Remove(node);
                _map.Remove(key);
                return null;
            }
            if (node != _lru.First)
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
            }
            return entry.Value;
        }
    }

    /// <summary>Caches <paramref name="value"/> until <paramref name="validUntil"/>, evicting the least recently used entry when full.</summary>
    public void Set(TokenHash key, TValue value, DateTimeOffset validUntil, long generation)
    {
        if (capacity == 0)
        {
            return;
        }
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                _lru.Remove(existing);
                _map.Remove(key);
            }
            while (_map.Count >= capacity && _lru.Last is { } oldest)
            {
                _lru.RemoveLast();
                _map.Remove(oldest.Value.Key);
            }
            _map[key] = _lru.AddFirst(new Entry(key, value, validUntil, generation));
        }
    }

    /// <summary>Drops every entry.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _map.Clear();
            _lru.Clear();
        }
    }

    private sealed record Entry(TokenHash Key, TValue Value, DateTimeOffset ValidUntil, long Generation);
}
