using System.IO.Compression;
using Knowledge.Ranking;

namespace Knowledge.Tests;

/// <summary>The learned re-ranker and confidence (answer-model.zip): its answers, loading, fallback, calibration and fitting rules.</summary>
public class AnswerModelTests
{
    // The three questions of issue 16 that the hand-fitted confidence answered with the wrong entry.
    [Theory]
    [InlineData("Làm căn cước cho con dưới 14 tuổi có cần về xã không?", "vneid-can-cuoc-cho-tre")]
    [InlineData("ai dạy lớp bình dân học vụ số ở xã mình", "ct-ai-day-co-mat-phi")]
    [InlineData("thanh toán tiền điện bằng QR thế nào", "tt-tien-dien")]
    public void Named_questions_get_the_entry_that_answers_what_is_asked(string question, string expected)
    {
        var answer = Fixture.ShippedKnowledgeBase.Ask(question);

        Assert.Equal(AnswerModelStatus.Loaded, Fixture.ShippedKnowledgeBase.ModelStatus);
        Assert.True(answer.Answered, $"abstained at {answer.Score}");
        Assert.Equal(expected, answer.FaqId);
    }

    [Fact]
    public void Without_a_model_file_the_base_falls_back_to_the_lexical_ranking()
    {
        using var kb = CopyOfShippedFaq();
        var knowledgeBase = KnowledgeBase.Load(kb.Root);

        Assert.Equal(AnswerModelStatus.Missing, knowledgeBase.ModelStatus);
        Assert.Equal("vneid-quen-mat-khau", knowledgeBase.Ask("quen mat khau vneid thi lam sao").FaqId);
    }

    [Fact]
    public void A_model_trained_on_other_features_is_stale_and_ignored()
    {
        using var kb = CopyOfShippedFaq();
        var path = Path.Combine(kb.Root, AnswerModelFitting.ModelFileName);
        File.Copy(Path.Combine(Fixture.RepositoryData(), AnswerModelFitting.ModelFileName), path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry(AnswerModel.SchemaEntry)!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(AnswerModel.SchemaEntry).Open());
            writer.Write("0123456789abcdef");
        }
        var stale = KnowledgeBase.Load(kb.Root);

        Assert.Equal(AnswerModelStatus.Stale, stale.ModelStatus);
        Assert.Equal(AnswerModelStatus.Loaded, KnowledgeBase.Load(Fixture.RepositoryData()).ModelStatus);
        Assert.Equal("vneid-quen-mat-khau", stale.Ask("quen mat khau vneid thi lam sao").FaqId);

        File.WriteAllText(path, "not a zip");
        Assert.Equal(AnswerModelStatus.Stale, KnowledgeBase.Load(kb.Root).ModelStatus);
    }

    [Fact]
    public void A_model_file_written_next_to_a_live_base_is_loaded_on_reload()
    {
        using var kb = CopyOfShippedFaq();
        using var live = new LiveKnowledgeBase(kb.Root, debounce: TimeSpan.FromHours(1));
        Assert.Equal(AnswerModelStatus.Missing, live.Current.ModelStatus);

        File.Copy(Path.Combine(Fixture.RepositoryData(), AnswerModelFitting.ModelFileName), Path.Combine(kb.Root, AnswerModelFitting.ModelFileName));
        Assert.True(live.Reload());

        Assert.Equal(AnswerModelStatus.Loaded, live.Current.ModelStatus);
    }

    // Calibration: scored by models fitted without them, questions given a high confidence are mostly right and
    // those given a low one mostly wrong; and the confidence means about what it says overall.
    [Fact]
    public void Cross_validated_confidence_is_calibrated()
    {
        var fitting = new AnswerModelFitting();
        fitting.Add(KnowledgeBase.Load(Fixture.RepositoryData()), Evaluation.ReadTsv([Path.Combine(Fixture.RepositoryData(), "eval")]));
        var scored = fitting.CrossValidate(3, new ModelSettings());

        var high = scored.Where(q => q.Confidence >= 0.8).ToList();
        var low = scored.Where(q => q.Confidence < 0.2).ToList();
        Assert.True(high.Count(q => q.BestIsRight) >= 0.85 * high.Count, $"{high.Count(q => q.BestIsRight)}/{high.Count} right at ≥ 0.8");
        Assert.True(low.Count(q => q.BestIsRight) <= 0.3 * low.Count, $"{low.Count(q => q.BestIsRight)}/{low.Count} right at < 0.2");
        var expectedRight = scored.Sum(q => q.Confidence);
        Assert.InRange(scored.Count(q => q.BestIsRight), expectedRight - 0.1 * scored.Count, expectedRight + 0.1 * scored.Count);
    }

    // A question typed with and without diacritics is one question: one fold, so no model is scored on a question it
    // was fitted on in another spelling; the copies without diacritics are scored, never fitted on.
    [Fact]
    public void Questions_without_diacritics_are_scored_in_their_originals_fold_and_never_fitted_on()
    {
        Assert.Equal(new FittingQuestion("Quên mật khẩu VNeID thì làm sao?", "", false, [], 1, []).Fold(5),
            new FittingQuestion("quen mat khau vneid thi lam sao?", "", false, [], 1, []).Fold(5));
        var knowledgeBase = KnowledgeBase.Load(Fixture.RepositoryData());
        var cases = Evaluation.ReadTsv([Path.Combine(Fixture.RepositoryData(), "eval", "dev-vneid-dvc.tsv")]);
        var asGiven = new AnswerModelFitting();
        asGiven.Add(knowledgeBase, cases);
        var withCopies = new AnswerModelFitting();
        // Copies first, and not a multiple of the model's calibration folds: rows fitted on would shift every fold.
        withCopies.AddWithoutDiacritics(knowledgeBase, cases.Skip(1));
        withCopies.Add(knowledgeBase, cases);

        var alone = asGiven.FitAll(new ModelSettings()).InSample;
        var scored = withCopies.FitAll(new ModelSettings()).InSample;

        var copies = scored.Where(q => q.Group.EndsWith(AnswerModelFitting.WithoutDiacriticsSuffix, StringComparison.Ordinal)).ToList();
        Assert.Equal(cases.Count - 1, copies.Count);
        Assert.All(copies, q => Assert.Equal(0, q.Weight));
        Assert.Contains(copies, q => q.BestIsRight);
        Assert.Equal(alone.Select(q => q.Confidence), scored.Except(copies).Select(q => q.Confidence));
    }

    // Scores where a higher one is right more often: the fitted curve gives back the share right at each score.
    [Fact]
    public void Platt_scaling_recovers_the_share_right_at_each_score()
    {
        var examples = new List<(float Score, bool Right, float Weight)>();
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var score = (float)(random.NextDouble() * 8 - 4);
            examples.Add((score, random.NextDouble() < 1 / (1 + Math.Exp(-(1.5 * score - 0.5))), i % 2 == 0 ? 1 : 0.5f));
        }

        var platt = Platt.Fit(examples);

        Assert.InRange(platt.A, 1.35, 1.65);
        Assert.InRange(platt.B, -0.65, -0.35);
        Assert.Equal(platt, Platt.Parse(platt.ToString()));
        Assert.True(Platt.Fit([(1, true, 1), (-1, false, 1)]).Probability(1) is > 0.5f and < 1);
    }

    [Fact]
    public void Held_out_files_are_never_fitted_on()
    {
        using var kb = new TempKnowledgeBase();
        var heldOut = kb.Write(Path.Combine("eval", "heldout", "residents.tsv"), "vneid-la-gi\tVNeID là gì?\n");
        var cases = Evaluation.ReadTsv([heldOut]);
        Assert.NotEmpty(cases);
        Assert.All(cases, c => Assert.True(c.HeldOut));
        Assert.DoesNotContain(Evaluation.ReadTsv([Path.Combine(Fixture.RepositoryData(), "eval")]), c => c.HeldOut);

        var fitting = new AnswerModelFitting();
        Assert.Throws<InvalidOperationException>(() => fitting.Add(Fixture.ShippedKnowledgeBase, cases.Take(1)));
        var plans = PlanEvaluation.ReadTsv([kb.Write(Path.Combine("eval", "heldout", "plans.tsv"), "gia-vien-90.txt\tIV.6\tCông an phường\tcông an phường làm gì?\n")]);
        Assert.DoesNotContain(PlanEvaluation.ReadTsv([Path.Combine(Fixture.RepositoryData(), "eval", "plans")]), p => Evaluation.IsHeldOut(p.File));
        Assert.Throws<InvalidOperationException>(() => fitting.Add(Fixture.ShippedKnowledgeBase, plans.Take(1)));
        Assert.Equal(0, fitting.Count);
    }

    private static TempKnowledgeBase CopyOfShippedFaq()
    {
        var kb = new TempKnowledgeBase();
        foreach (var file in Directory.GetFiles(Path.Combine(Fixture.RepositoryData(), "faq")))
            File.Copy(file, Path.Combine(kb.Root, "faq", Path.GetFileName(file)));
        return kb;
    }
}
