// Staff console, analytics: the period's figures (computed by the database), charts drawn by the server as SVG.
"use strict";
(() => {
  const { $, el, api, report, Problem } = window.staffConsole;
  const number = new Intl.NumberFormat("vi-VN");
  const ratio = (part, whole) => (whole ? ` (${Math.round((part / whole) * 100)}%)` : "");
  const channelNames = { telegram: "Telegram", zalo: "Zalo OA", "zalo-bot": "Zalo Bot", web: "Web" };
  const charts = ["questions", "outcomes", "entries", "topics", "subscribers", "reach"];
  const vietnamToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
  const iso = (d) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}`;
  const shortDate = (s) => { const [y, m, d] = s.split("-"); return `${d}/${m}/${y}`; };

  // Presets end today (Vietnam): the last 7 days, or this month, quarter or year so far.
  function presetRange(preset) {
    const today = vietnamToday();
    const [y, m, d] = today.split("-").map(Number);
    const start = {
      week: new Date(Date.UTC(y, m - 1, d - 6)),
      month: new Date(Date.UTC(y, m - 1, 1)),
      quarter: new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 1)),
      year: new Date(Date.UTC(y, 0, 1)),
    }[preset];
    return start ? { from: iso(start), to: today } : null;
  }
  function applyPreset() {
    const range = presetRange($("an-preset").value);
    const custom = !range;
    $("an-from").disabled = !custom;
    $("an-to").disabled = !custom;
    if (range) { $("an-from").value = range.from; $("an-to").value = range.to; }
  }
  $("an-preset").addEventListener("change", () => { applyPreset(); if ($("an-preset").value !== "custom") loadAnalytics().catch(report); });
  $("an-period").addEventListener("submit", (event) => { event.preventDefault(); loadAnalytics().catch(report); });

  async function loadAnalytics() {
    if (!$("an-from").value) applyPreset();
    const params = new URLSearchParams({ from: $("an-from").value, to: $("an-to").value });
    $("an-error").textContent = "";
    let f;
    try { f = await api("GET", `/api/admin/analytics?${params}`); }
    catch (e) { if (e instanceof Problem && e.status === 400) { $("an-error").textContent = e.message; return; } throw e; }
    const t = f.totals;
    $("an-caption").textContent = `Từ ${shortDate(f.period.from)} đến ${shortDate(f.period.to)} (${f.period.days} ngày), số liệu tính trên cơ sở dữ liệu của bot.`;
    const kpi = (id, label, value, note) => el("div", { class: "kpi" },
      el("span", { class: "kpi-label" }, label), el("strong", { id, class: "kpi-value" }, number.format(value)), note ? el("span", { class: "kpi-note" }, note) : null);
    $("an-kpis").replaceChildren(
      kpi("kpi-questions", "Câu hỏi", t.questions),
      kpi("kpi-answered", "Bot trả lời", t.answered, ratio(t.answered, t.questions).trim()),
      kpi("kpi-handed-over", "Chuyển cán bộ", t.handedOver, ratio(t.handedOver, t.questions).trim()),
      kpi("kpi-resolved", "Cán bộ đã xử lý", t.handoversResolved, t.handoversOpen ? `còn ${number.format(t.handoversOpen)} chờ` : ""),
      kpi("kpi-residents", "Người dân được phục vụ", t.residentsServed),
      kpi("kpi-feedback", "Đánh giá hữu ích", t.helpful, `chưa hữu ích ${number.format(t.notHelpful)}`),
      kpi("kpi-subscribers", "Đang nhận tin", t.subscribers, `mới ${number.format(t.newSubscribers)}`),
      kpi("kpi-broadcasts", "Tin thông báo", t.broadcasts),
      kpi("kpi-reached", "Người nhận được tin", t.residentsReached, `${number.format(t.deliveriesSent)} lượt gửi`));
    for (const chart of charts) $(`an-chart-${chart}`).src = `/api/admin/analytics/charts/${chart}.svg?${params}`;
    $("an-docx").href = `/api/admin/reports/period.docx?${params}`;
    $("an-xlsx").href = `/api/admin/reports/period.xlsx?${params}`;

    const topicTitle = Object.fromEntries(window.staffConsole.topics().map((x) => [x.id, x.title]));
    $("an-unanswered").replaceChildren(...(f.unanswered.length ? f.unanswered.map((u) => el("tr", {},
      el("td", { "data-label": "Câu hỏi" }, u.question), el("td", { "data-label": "Số lần", class: "num" }, number.format(u.count))))
      : [el("tr", {}, el("td", { colspan: 2, class: "muted" }, "Không có câu nào trong kỳ."))]));
    $("an-feedback").replaceChildren(...(f.feedback.length ? f.feedback.map((e) => el("tr", {},
      el("td", { "data-label": "Câu hỏi" }, e.question || e.faqId), el("td", { "data-label": "Hữu ích", class: "num" }, number.format(e.helpful)),
      el("td", { "data-label": "Chưa hữu ích", class: "num" }, number.format(e.notHelpful))))
      : [el("tr", {}, el("td", { colspan: 3, class: "muted" }, "Chưa có đánh giá trong kỳ."))]));
    const channels = [...new Set(f.subscribersByTopic.map((s) => s.channel))].sort();
    $("an-topic-head").replaceChildren(el("tr", {}, el("th", {}, "Chủ đề"), channels.map((c) => el("th", {}, channelNames[c] || c))));
    const topics = [...new Set(f.subscribersByTopic.map((s) => s.topic))];
    $("an-topic-subscribers").replaceChildren(...topics.map((topic) => el("tr", {}, el("td", { "data-label": "Chủ đề" }, topicTitle[topic] || topic),
      channels.map((c) => el("td", { "data-label": channelNames[c] || c },
        number.format(f.subscribersByTopic.find((s) => s.topic === topic && s.channel === c)?.subscribers || 0))))));
    $("an-broadcasts").replaceChildren(...(f.broadcasts.length ? f.broadcasts.map((b) => el("tr", {},
      el("td", { "data-label": "Ngày" }, new Date(b.startedAt).toLocaleDateString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" })),
      el("td", { "data-label": "Tin" }, b.title), el("td", { "data-label": "Đã gửi" }, number.format(b.sent)),
      el("td", { "data-label": "Cần gửi" }, number.format(b.total))))
      : [el("tr", {}, el("td", { colspan: 4, class: "muted" }, "Không có tin nào trong kỳ."))]));
  }

  window.staffConsole.addView("analytics", loadAnalytics);
})();
