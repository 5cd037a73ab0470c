namespace Knowledge.Tests;

public class LiveKnowledgeBaseTests
{
    private static string Faq(string answer) => $"""
        topic: vneid
        title: Định danh điện tử
        entries:
          - id: vneid-quen-mat-khau
            question: Quên mật khẩu VNeID thì làm sao?
            answer: {answer}
        """;

    [Fact]
    public async Task Swaps_in_an_edited_file_after_the_watcher_sees_it()
    {
        using var kb = new TempKnowledgeBase();
        var file = kb.Write("faq/vneid.yaml", Faq("Bản cũ."));
        using var live = new LiveKnowledgeBase(kb.Root, debounce: TimeSpan.FromMilliseconds(20));
        Assert.Equal("Bản cũ.", live.Ask("quên mật khẩu vneid").Text);

        var reloaded = new TaskCompletionSource<KnowledgeBase>(TaskCreationOptions.RunContinuationsAsynchronously);
        live.Reloaded += fresh => reloaded.TrySetResult(fresh);
        File.WriteAllText(file, Faq("Bản mới."));
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("Bản mới.", live.Ask("quên mật khẩu vneid").Text);
        Assert.Null(live.LastError);
    }

    [Fact]
    public void Broken_edit_keeps_the_last_good_base_and_reports_the_error()
    {
        using var kb = new TempKnowledgeBase();
        var file = kb.Write("faq/vneid.yaml", Faq("Bản tốt."));
        using var live = new LiveKnowledgeBase(kb.Root, debounce: TimeSpan.FromHours(1));
        KnowledgeBaseException? reported = null;
        live.ReloadFailed += e => reported = e;

        File.WriteAllText(file, Faq("Bản tốt.").Replace("answer:", "anwser:"));
        Assert.False(live.Reload());

        Assert.Equal("Bản tốt.", live.Ask("quên mật khẩu vneid").Text);
        Assert.Same(reported, live.LastError);
        var error = Assert.Single(live.LastError!.Errors, e => e.Message.Contains("anwser"));
        Assert.Equal(("faq/vneid.yaml", 6), (error.File, error.Line));

        File.WriteAllText(file, Faq("Bản sửa."));
        Assert.True(live.Reload());
        Assert.Null(live.LastError);
        Assert.Equal("Bản sửa.", live.Ask("quên mật khẩu vneid").Text);
    }

    [Fact]
    public void A_broken_base_at_start_is_refused()
    {
        using var kb = new TempKnowledgeBase();
        kb.Write("faq/vneid.yaml", "topic: [");
        Assert.Throws<KnowledgeBaseException>(() => new LiveKnowledgeBase(kb.Root));
    }
}
