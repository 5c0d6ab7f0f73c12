namespace Crossfeed.Simulation;

/// <summary>Reused definition/repetition level and value buffers of one list column.</summary>
internal sealed class LevelBuffers<T>
{
    public short[] Def { get; private set; } = [];

    public short[] Rep { get; private set; } = [];

    public T[] Values { get; private set; } = [];

    public void Ensure(int levels)
    {
        if (Def.Length >= levels) return;
        Def = new short[levels];
        Rep = new short[levels];
        Values = new T[levels];
    }
}
