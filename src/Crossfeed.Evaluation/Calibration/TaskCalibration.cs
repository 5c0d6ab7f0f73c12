namespace Crossfeed.Evaluation.Calibration;

/// <summary>One task's fitted temperature and its validation ECE before and after.</summary>
public sealed record TaskCalibration(string Task, double Temperature, long Rows, double? EceBefore, double? EceAfter, double? LogLossBefore, double? LogLossAfter);
