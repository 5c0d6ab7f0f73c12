namespace Crossfeed.Data;

/// <summary>An append-only array that doubles when full. ToArray hands over the array itself when it is exactly full (no copy), so a buffer sized to the row count never copies.</summary>
internal sealed class GrowBuffer<T>
{
    private readonly int _initial;
    private T[] _items;

    public GrowBuffer(int capacity = 1024)
    {
        _initial = Math.Max(16, capacity);
        _items = [];
    }

    public int Count { get; private set; }

    public void Add(T item)
    {
        if (Count == _items.Length) Grow(Count + 1);
        _items[Count++] = item;
    }

    /// <summary>Reserves n slots and returns them to be filled in place.</summary>
    public Span<T> Append(int n)
    {
        if (Count + n > _items.Length) Grow(Count + n);
        var span = _items.AsSpan(Count, n);
        Count += n;
        return span;
    }

    public Span<T> AsSpan() => _items.AsSpan(0, Count);

    /// <summary>The contents as an exact-size array; the buffer is left empty.</summary>
    public T[] ToArray()
    {
        var result = Count == _items.Length ? _items : _items.AsSpan(0, Count).ToArray();
        _items = [];
        Count = 0;
        return result;
    }

    public void Clear() => Count = 0;

    private void Grow(int needed)
    {
        long size = _items.Length == 0 ? Math.Max(needed, _initial) : Math.Max(needed, (long)_items.Length * 2);
        Array.Resize(ref _items, (int)Math.Min(size, Array.MaxLength));
    }
}
