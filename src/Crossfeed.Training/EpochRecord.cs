namespace Crossfeed.Training;

public sealed record EpochRecord(int Epoch, double? TrainLoss, IReadOnlyDictionary<string, double?> ValAp, double Seconds);
