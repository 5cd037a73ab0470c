namespace Knowledge.Tests;

/// <summary>The shipped knowledge base (data/) measured on its development questions (data/eval).</summary>
public class DevelopmentSetTests
{
    private static string RepositoryData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, "data", "faq"))) return System.IO.Path.Combine(dir.FullName, "data");
        throw new DirectoryNotFoundException("no data/faq above " + AppContext.BaseDirectory);
    }

    // The floors of issue 4.
    [Fact]
    public void Development_set_meets_the_floors()
    {
        var data = RepositoryData();
        var knowledgeBase = KnowledgeBase.Load(data);
        var metrics = Evaluation.Compute(Evaluation.Run(knowledgeBase, Evaluation.ReadTsv([System.IO.Path.Combine(data, "eval")])));

        Assert.True(metrics.Top1 >= 0.95, $"top-1 {metrics.Top1:0.000}");
        Assert.True(metrics.ConfidentWrongRate <= 0.02, $"confident wrong {metrics.ConfidentWrongRate:0.000}");
        Assert.True(metrics.AbstentionRecall >= 0.90, $"abstention recall {metrics.AbstentionRecall:0.000}");
    }
}
