using Crossfeed.Nn;

namespace Crossfeed.Training.Tests;

public class IdDropoutTests
{
    [Fact]
    public void Id_dropout_sends_known_ids_to_the_oov_row_at_its_rate_and_repeats_per_step()
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, TinyData.JointYaml + "\nid_dropout: { user_id: 0.5 }\n");
        var layout = FeatureLayout.Build(dataset, model, TinyData.TableRows);
        var dropout = IdDropout.For(layout, model, dataset)!;
        Assert.Null(IdDropout.For(layout, TinyData.Model(dataset), dataset));
        var split = TinyData.Split(4000, seed: 2);
        var rows = Enumerable.Range(0, split.Count).ToArray();
        var builder = new HostBatchBuilder(layout);
        int[] Fed(HostBatch b, string feature)
        {
            int c = layout.Categorical.ToList().FindIndex(x => x.Feature == feature);
            return b.Local[c].Select(l => (int)b.TableIds[layout.Categorical[c].Table][l]).ToArray();
        }

        var plain = Fed(builder.Build(split, rows), "user_id");
        Assert.Equal(split.Ids["user_id"], plain);
        var batch = builder.Build(split, rows, dropout, step: 7);
        var dropped = Fed(batch, "user_id");
        Assert.All(Enumerable.Range(0, rows.Length), i => Assert.True(dropped[i] == plain[i] || dropped[i] == 1));
        var known = Enumerable.Range(0, rows.Length).Where(i => plain[i] > 1).ToList();
        Assert.InRange(known.Count(i => dropped[i] == 1) / (double)known.Count, 0.45, 0.55);
        Assert.Equal(split.Ids["show_id"], Fed(batch, "show_id")); // no rate: untouched
        Assert.Equal(dropped, Fed(builder.Build(split, rows, dropout, step: 7), "user_id"));
        Assert.NotEqual(dropped, Fed(builder.Build(split, rows, dropout, step: 8), "user_id"));
    }
}
