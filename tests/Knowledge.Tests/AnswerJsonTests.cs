using System.Text.Json;

namespace Knowledge.Tests;

public class AnswerJsonTests
{
    [Fact]
    public void Faq_answer_has_exactly_the_contract_fields()
    {
        var line = AnswerJson.Serialize(Fixture.KnowledgeBase.Ask("quên mật khẩu vneid"), includeResults: false);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(["question", "answered", "faqId", "score", "related", "citation", "document"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("quên mật khẩu vneid", root.GetProperty("question").GetString());
        Assert.True(root.GetProperty("answered").GetBoolean());
        Assert.Equal("vneid-quen-mat-khau", root.GetProperty("faqId").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("score").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("related").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("document").ValueKind);
        Assert.Contains("quên mật khẩu", line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Top_k_adds_results_with_document_and_citation()
    {
        var answer = Fixture.KnowledgeBase.Ask("phong trào bình dân học vụ số", top: 3);
        using var json = JsonDocument.Parse(AnswerJson.Serialize(answer, includeResults: true));
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("faqId").ValueKind);
        Assert.Equal("vinh-phong-52.txt", root.GetProperty("document").GetString());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, results.Count);
        Assert.Equal(["faqId", "document", "citation", "score"], results[0].EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("Kế hoạch số 52/KH-UBND", results[0].GetProperty("citation").GetString());
    }

    [Fact]
    public void Abstention_has_null_faq_id()
    {
        using var json = JsonDocument.Parse(AnswerJson.Serialize(Fixture.KnowledgeBase.Ask("giá vàng hôm nay"), includeResults: false));
        Assert.False(json.RootElement.GetProperty("answered").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("faqId").ValueKind);
    }
}
