namespace Crossfeed.Simulation.Tests;

[Collection(WorldsCollection.Name)]
public sealed class CamoeTests(Worlds worlds)
{
    [Fact]
    public void Camoe_world_has_seven_ad_slots_over_music_and_podcast_content()
    {
        var rows = worlds.CamoeRows;
        var source = rows.Get<string>("source");
        var slot = rows.Get<string>("slot");
        var content = rows.Get<string>("content_type");
        var adSlots = new HashSet<string>();
        for (int i = 0; i < rows.Rows; i++)
            if (source[i] == "ad") adSlots.Add(slot[i]);
        Assert.Equal(7, adSlots.Count);
        Assert.Contains("audio_music_break", adSlots);
        Assert.Contains("video_podcast_preroll", adSlots);
        Assert.Equal(["music", "podcast"], content.Distinct().Order());
    }

    [Fact]
    public void Camoe_audio_ads_far_outnumber_video_and_there_is_no_display_ad()
    {
        var rows = worlds.CamoeRows;
        var source = rows.Get<string>("source");
        var modality = rows.Get<string>("modality");
        long audio = 0, video = 0, display = 0;
        for (int i = 0; i < rows.Rows; i++)
        {
            if (source[i] != "ad") continue;
            switch (modality[i])
            {
                case "audio": audio++; break;
                case "video": video++; break;
                default: display++; break;
            }
        }
        Assert.Equal(0, display);
        Assert.True(video > 0);
        Assert.InRange((double)audio / video, 7, 14);
    }

    [Fact]
    public void Camoe_attention_differs_by_slot_for_the_same_user_and_ad()
    {
        var world = World.Load(worlds.CamoeDir);
        var cr = Enumerable.Range(0, world.CreativeCount).Select(world.Creative).First(c => c.Modality == Modality.Audio);
        int midroll = world.SlotIndex("audio_podcast_midroll"), musicBreak = world.SlotIndex("audio_music_break");
        Assert.True(world.Slots[midroll].Attention > world.Slots[musicBreak].Attention);
        Assert.Equal("music", world.Slots[musicBreak].ContentType);
    }

    [Fact]
    public void Camoe_dataset_yaml_includes_content_type()
    {
        var ds = Crossfeed.Core.DatasetConfigLoader.Load(Path.Combine(worlds.CamoeDir, "dataset.yaml"));
        Assert.Equal(Crossfeed.Core.FeatureGroup.Context, ds.Feature("content_type")!.Group);
        Assert.Contains("content_type", worlds.CamoeRows.Names);
        Assert.Equal("camoe-sim", ds.Name);
        Assert.Equal("content_type", ds.Analysis.ContentType); // tasks can be scoped and grouped by it
    }
}
