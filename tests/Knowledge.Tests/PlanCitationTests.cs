namespace Knowledge.Tests;

/// <summary>Questions about an imported plan cite the right section (PlanEvaluation).</summary>
public class PlanCitationTests
{
    private static PlanQuestion Expecting(string section) => new("plan.txt", section, "", "?", "dev.tsv", 1);

    [Theory]
    [InlineData("II.2", "II.2", true)]
    [InlineData("II.2", "II.2.1", true)]
    [InlineData("II.2.a", "II.2", true)]     // the plan is not split below II.2
    [InlineData("II.2.1", "II.2", false)]    // it is: II.2.1 has its own passage
    [InlineData("II.2", "II.3", false)]
    [InlineData("II.2", "II.20", false)]
    public void Right_section_means_that_section_or_one_inside_it_or_the_finest_one_holding_it(string expected, string cited, bool right) =>
        Assert.Equal(right, PlanEvaluation.IsRightSection(Expecting(expected), "plan.txt", cited, ["I", "II.1", "II.2", "II.2.1", "II.20", "II.3"]));

    [Fact]
    public void An_answer_from_another_document_or_an_faq_entry_is_not_the_right_section() =>
        Assert.False(PlanEvaluation.IsRightSection(Expecting("II.2"), "other.txt", "II.2", ["II.2"]));

    // The development questions on one seed plan (in-sample for the shipped model, which was fitted on them).
    [Fact]
    public void Questions_about_an_imported_seed_plan_cite_the_right_section()
    {
        var questions = PlanEvaluation.ReadTsv([Path.Combine(Fixture.RepositoryData(), "eval", "plans", "dev.tsv")])
            .Where(q => q.Plan == "vinh-phong-52.txt").ToList();
        var outcomes = PlanEvaluation.Run(Fixture.RepositoryData(), Fixture.Path("seeds"), questions);

        Assert.Equal(20, outcomes.Count);
        Assert.True(outcomes.Count(o => o.RightSection) >= 18, string.Join("\n", outcomes.Where(o => !o.RightSection)
            .Select(o => $"{o.Question.Section} got {o.Answer.Citation ?? o.Answer.FaqId ?? "-"}: {o.Question.Question}")));
    }
}
