namespace Crossfeed.Simulation;

/// <summary>
/// A placement of one candidate in front of one user: what the world needs to give the true outcome
/// probabilities. <see cref="Slot"/> and <see cref="Session"/> index <see cref="World.Slots"/> and
/// <see cref="World.SessionStates"/>; <see cref="CreativeId"/> is required for ad slots and -1 otherwise.
/// </summary>
public readonly record struct Exposure(int UserId, int ShowId, int Slot, int Day, int Hour, int Session, int CreativeId = -1);
