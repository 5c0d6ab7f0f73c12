using System.Collections;
using System.Globalization;

namespace Crossfeed.Simulation.Tests;

[Collection(WorldsCollection.Name)]
public sealed class ImpressionValuesTests(Worlds worlds)
{
    [Fact]
    public void Values_built_from_the_world_equal_the_logged_rows()
    {
        var world = World.Load(worlds.PodcastDir);
        var rows = worlds.PodcastRows;
        int compared = 0;
        for (int i = 0; i < rows.Rows; i += 97)
        {
            int user = rows.Get<int>("user_id")[i], show = rows.Get<int>("show_id")[i], day = rows.Get<int>("day")[i];
            var values = ImpressionValues.User(world, user)
                .Concat(ImpressionValues.Context(world, world.SlotIndex(rows.Get<string>("slot")[i]), day, rows.Get<int>("hour")[i],
                    world.SessionIndex(rows.Get<string>("session_state")[i]), rows.Get<int?>("listening_show_id")[i] ?? -1))
                .Concat(rows.Get<int?>("creative_id")[i] is { } cr
                    ? ImpressionValues.Ad(world, cr, day, rows.Get<int?>("campaign_exposures")[i]!.Value)
                    : ImpressionValues.Show(world, show, day));
            foreach (var (column, value) in values)
            {
                Assert.Equal(Text(rows.Columns[column].GetValue(i)), Text(value));
                compared++;
            }
        }
        Assert.True(compared > 10_000, $"{compared} values compared");
    }

    private static string Text(object? v) => v switch
    {
        null => "null",
        string s => s,
        IEnumerable e => "[" + string.Join(",", e.Cast<object?>().Select(Text)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString()!,
    };
}
