using TorchSharp;
using static TorchSharp.torch;

namespace Crossfeed.Nn;

/// <summary>
/// A host batch moved into tensors on <c>device</c> (the model's: <see cref="MultiTaskModel.Device"/>; default the CPU);
/// the encoder records the looked-up table rows in <see cref="Rows"/>.
/// </summary>
public sealed class DeviceBatch
{
    public DeviceBatch(HostBatch host, Device? device = null)
    {
        Size = host.Size;
        TableIds = host.TableIds.Select(ids => torch.tensor(ids, ScalarType.Int64, device)).ToArray();
        Local = host.Local.Select(l => torch.tensor(l, ScalarType.Int64, device)).ToArray();
        ListRow = host.ListRow.Select(r => r is null ? null : torch.tensor(r, ScalarType.Int64, device)).ToArray();
        ListCount = host.ListCount.Select(c => c is null ? null : torch.tensor(c, device: device).unsqueeze(1)).ToArray();
        Dense = host.Dense.Length == 0 ? null : torch.tensor(host.Dense, device: device).reshape(host.Size, -1);
        Rows = new Tensor[TableIds.Length];
    }

    public int Size { get; }
    public Tensor[] TableIds { get; }
    public Tensor[] Local { get; }
    public Tensor?[] ListRow { get; }
    public Tensor?[] ListCount { get; }
    public Tensor? Dense { get; }

    /// <summary>Per table, the rows looked up for this batch ([distinct ids, dim]); leaves with gradients in lazy mode.</summary>
    public Tensor[] Rows { get; }
}
