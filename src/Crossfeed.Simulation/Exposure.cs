namespace Crossfeed.Simulation;

/// <summary>
/// A placement of one candidate in front of one user: what the world needs to give the true outcome
/// probabilities. <see cref="Slot"/> and <see cref="Session"/> index <see cref="World.Slots"/> and
/// <see cref="World.SessionStates"/>; <see cref="CreativeId"/> is required for ad slots and -1 otherwise.
/// <see cref="ListeningShowId"/> is the show being played on a now-playing surface (-1: none) and
/// <see cref="CampaignExposures"/> the user's earlier exposures to the ad's campaign (ads only).
/// </summary>
public readonly record struct Exposure(int UserId, int ShowId, int Slot, int Day, int Hour, int Session, int CreativeId = -1,
    int ListeningShowId = -1, int CampaignExposures = 0);
