namespace Knowledge;

/// <summary>One question about an imported plan: the plan's file name and the section path that answers it.</summary>
public sealed record PlanQuestion(string Plan, string Section, string Heading, string Question, string File, int Line)
{
    public bool HeldOut => Evaluation.IsHeldOut(File);
}

/// <summary>A question about a plan and what the bot replied with the plan imported next to the FAQ.</summary>
public sealed record PlanOutcome(PlanQuestion Question, Answer Answer, bool RightSection);

/// <summary>
/// "Right section cited": the answer comes from the plan asked about and the section it cites (the path after
/// ", mục " in its citation) is the expected section or one inside it (II.2 expected, II.2.1 cited), or, where
/// the importer does not split the plan that finely (no passage of the plan has the expected section or one
/// inside it), the deepest section it does have that holds the expected one (II.2.a expected, II.2 cited).
/// </summary>
public static class PlanEvaluation
{
    private const string SectionMark = ", mục ";

    /// <summary>Reads plan<TAB>section<TAB>heading<TAB>question lines; # lines and blank lines are skipped.</summary>
    public static List<PlanQuestion> ReadTsv(IEnumerable<string> paths)
    {
        var questions = new List<PlanQuestion>();
        foreach (var file in Evaluation.TsvFiles(paths))
        {
            var lines = System.IO.File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(lines[i]) || lines[i].StartsWith('#')) continue;
                var columns = lines[i].Split('\t');
                if (columns.Length != 4) throw new FormatException($"{file}:{i + 1}: expected \"plan<TAB>section<TAB>heading<TAB>question\"");
                questions.Add(new PlanQuestion(columns[0].Trim(), columns[1].Trim(), columns[2].Trim(), columns[3].Trim(), file, i + 1));
            }
        }
        return questions;
    }

    /// <summary>Whether a passage of <paramref name="plan"/> citing <paramref name="cited"/> is the right one for the question.</summary>
    public static bool IsRightSection(PlanQuestion question, string? document, string? cited, IEnumerable<string> sectionsOfPlan)
    {
        if (document != question.Plan || cited is null) return false;
        var expected = question.Section;
        if (cited == expected || cited.StartsWith(expected + ".", StringComparison.Ordinal)) return true;
        if (!expected.StartsWith(cited + ".", StringComparison.Ordinal)) return false;
        // The importer does not split this far: the cited section must be the deepest one it has above the expected.
        return !sectionsOfPlan.Any(s => s == expected || s.StartsWith(expected + ".", StringComparison.Ordinal)
            || (expected.StartsWith(s + ".", StringComparison.Ordinal) && s.Length > cited.Length));
    }

    public static string? CitedSection(Answer answer) =>
        answer.Answered && answer.Document is not null && answer.Citation is { } citation && citation.LastIndexOf(SectionMark, StringComparison.Ordinal) is var at and >= 0
            ? citation[(at + SectionMark.Length)..]
            : null;

    /// <summary>Imports each plan alone next to <paramref name="faqRoot"/>'s FAQ (and its model) and asks its questions.</summary>
    public static List<PlanOutcome> Run(string faqRoot, string plansFolder, IReadOnlyList<PlanQuestion> questions)
    {
        var outcomes = new List<PlanOutcome>();
        foreach (var group in questions.GroupBy(q => q.Plan))
        {
            var knowledgeBase = WithPlan(faqRoot, Path.Combine(plansFolder, group.Key));
            var sections = knowledgeBase.Chunks.Where(c => c.Document == group.Key).Select(c => c.Section).Distinct().ToList();
            foreach (var question in group)
            {
                var answer = knowledgeBase.Ask(question.Question, Evaluation.MrrDepth);
                outcomes.Add(new PlanOutcome(question, answer, IsRightSection(question, answer.Document, CitedSection(answer), sections)));
            }
        }
        return outcomes;
    }

    /// <summary>A temporary copy of the root (FAQ, abbreviations, model) with the given plans in documents/, loaded.</summary>
    public static KnowledgeBase WithPlan(string faqRoot, params string[] planPaths)
    {
        var root = Directory.CreateTempSubdirectory("kb-plan-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "faq"));
            foreach (var file in Directory.GetFiles(Path.Combine(faqRoot, "faq")))
                System.IO.File.Copy(file, Path.Combine(root, "faq", Path.GetFileName(file)));
            foreach (var name in new[] { "abbreviations.yaml", Ranking.AnswerModel.FileName })
                if (System.IO.File.Exists(Path.Combine(faqRoot, name))) System.IO.File.Copy(Path.Combine(faqRoot, name), Path.Combine(root, name));
            Directory.CreateDirectory(Path.Combine(root, "documents"));
            foreach (var planPath in planPaths)
                System.IO.File.Copy(planPath, Path.Combine(root, "documents", Path.GetFileName(planPath)));
            return KnowledgeBase.Load(root);
        }
        finally { Directory.Delete(root, true); }
    }
}
