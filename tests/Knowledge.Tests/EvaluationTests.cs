namespace Knowledge.Tests;

public class EvaluationTests
{
    private static EvaluationOutcome Outcome(string expected, bool answered, string? faqId, params string[] ranked) =>
        new(new EvaluationCase(expected, "q", "t.tsv", 1),
            new Answer("q", answered, answered ? faqId : null, 0.5, [], null, null, answered ? "text" : null,
                ranked.Select(id => new Candidate(id, null, null, 0.5)).ToList()));

    [Fact]
    public void Metrics_on_a_hand_made_case()
    {
        var outcomes = new[]
        {
            Outcome("a", true, "a", "a", "b", "c"),       // correct, rank 1
            Outcome("b", true, "c", "c", "x", "b"),       // confident wrong, rank 3
            Outcome("c", false, null, "x", "y", "z", "c"), // abstained, rank 4
            Outcome("-", false, null, "a"),                // rightly abstained
            Outcome("-", true, "a", "a"),                  // answered when it should abstain
        };
        var metrics = Evaluation.Compute(outcomes);

        Assert.Equal((5, 3, 2, 2, 2, 2), (metrics.Questions, metrics.Answerable, metrics.ShouldAbstain, metrics.Abstained, metrics.Correct, metrics.ConfidentWrong));
        Assert.Equal(1.0 / 3, metrics.Top1, 6);
        Assert.Equal(2.0 / 3, metrics.RecallAt3, 6);
        Assert.Equal((1 + 1.0 / 3 + 1.0 / 4) / 3, metrics.Mrr, 6);
        Assert.Equal(0.5, metrics.AbstentionPrecision);
        Assert.Equal(0.5, metrics.AbstentionRecall);
        Assert.Equal(2.0 / 5, metrics.ConfidentWrongRate, 6);
    }

    [Fact]
    public void Abstention_metrics_are_undefined_without_abstentions()
    {
        var metrics = Evaluation.Compute([Outcome("a", true, "a", "a")]);
        Assert.Null(metrics.AbstentionPrecision);
        Assert.Null(metrics.AbstentionRecall);
        Assert.Equal(1, metrics.Top1);
    }

    [Fact]
    public void Reads_tsv_files_and_directories_skipping_comments_and_blank_lines()
    {
        var cases = Evaluation.ReadTsv([Fixture.Path("eval")]);
        Assert.Equal(30, cases.Count);
        Assert.Equal(("vneid-quen-mat-khau", "quen mat khau vneid", 2), (cases[0].Expected, cases[0].Question, cases[0].Line));
        Assert.Equal(10, cases.Count(c => c.ShouldAbstain));
    }

    [Fact]
    public void Fixture_evaluation_answers_every_question_right()
    {
        var outcomes = Evaluation.Run(Fixture.KnowledgeBase, Evaluation.ReadTsv([Fixture.Path("eval", "basic.tsv")]));
        var failures = outcomes.Where(o => !o.IsCorrect).Select(o => o.Case.Question);
        Assert.Empty(failures);
    }
}
