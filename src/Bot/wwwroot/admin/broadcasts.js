// Staff console, broadcasts: the month's calendar, compose with per-channel previews and audience, live progress.
"use strict";
(() => {
  const { $, el, api, when, toast, guarded, report, clearErrors, openDetail, Problem } = window.staffConsole;
  const number = new Intl.NumberFormat("vi-VN");
  const time = new Intl.DateTimeFormat("vi-VN", { timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  const channelNames = { telegram: "Telegram", zalo: "Zalo OA", "zalo-bot": "Zalo Bot", web: "Web" };
  const statusNames = { scheduled: "đã lên lịch", sending: "đang gửi", done: "đã gửi xong", cancelled: "đã huỷ" };
  // Delivery statuses the console names; any other the server reports is shown under its own code.
  const deliveryNames = {
    pending: "đang chờ gửi", sent: "đã gửi", failed: "lỗi", blocked: "đã chặn bot", skipped: "bỏ qua (huỷ, thôi nhận)",
    uncertain: "không chắc đã đến", "outside-window": "ngoài thời hạn nhắn miễn phí", outside_window: "ngoài thời hạn nhắn miễn phí",
  };
  const weekdays = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"];
  const state = { setup: null, month: null, broadcast: null, poll: null };

  async function loadBroadcasts() {
    state.setup = await api("GET", "/api/admin/broadcasts/setup");
    const q = state.setup;
    $("bc-quiet").textContent = q.quietHours
      ? `Giờ nghỉ đêm ${q.quietHours.replace("-", "–")}: không gửi tin trong khung giờ này; tin đến hạn lúc đó chờ tới hết giờ nghỉ.` +
        (q.quietNow ? ` Đang trong giờ nghỉ, tin sẽ bắt đầu gửi lúc ${when(q.quietEndsAt)}.` : "")
      : "Không đặt giờ nghỉ đêm: tin được gửi bất kỳ giờ nào.";
    const topic = $("bc-topic");
    if (topic.options.length === 1) for (const t of window.staffConsole.topics()) topic.append(el("option", { value: t.id }, t.title));
    await Promise.all([loadMonth(state.month), loadList()]);
  }

  // ---- Calendar
  async function loadMonth(month) {
    const view = await api("GET", `/api/admin/broadcasts/month${month ? `?month=${month}` : ""}`);
    state.month = view.month;
    const [year, m] = view.month.split("-").map(Number);
    $("bc-month").textContent = `Tháng ${m}/${year}`;
    $("bc-calendar-error").textContent = view.calendarError ? `Lịch truyền thông đang có lỗi: ${view.calendarError}` : "";
    const offset = (new Date(Date.UTC(year, m - 1, 1)).getUTCDay() + 6) % 7;
    const cells = weekdays.map((d) => el("div", { class: "weekday", "aria-hidden": "true" }, d));
    for (let i = 0; i < offset; i++) cells.push(el("div", { class: "day blank", "aria-hidden": "true" }));
    for (const day of view.days) {
      const busy = day.campaigns.length + day.broadcasts.length > 0;
      cells.push(el("div", { class: `day${busy ? " busy" : ""}`, dataset: { date: day.date } },
        el("span", { class: "day-number" }, `${Number(day.date.slice(8))}`, el("span", { class: "day-full" }, ` tháng ${m}`)),
        day.campaigns.map((c) => el("span", { class: "chip campaign", title: c.title }, `${time.format(new Date(c.at))} ${c.title}`)),
        day.broadcasts.map((b) => el("button", { type: "button", class: `chip ${b.status}`, title: b.title || b.text, dataset: { id: b.id }, onclick: () => openBroadcast(b.id) },
          `${time.format(new Date(b.startedAt || b.sendAt))} ${b.title || b.text.slice(0, 40)}`))));
    }
    $("bc-calendar").replaceChildren(...cells);
  }
  const shiftMonth = (delta) => {
    const [year, m] = state.month.split("-").map(Number);
    const d = new Date(Date.UTC(year, m - 1 + delta, 1));
    loadMonth(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`).catch(report);
  };
  $("bc-prev").addEventListener("click", () => shiftMonth(-1));
  $("bc-next").addEventListener("click", () => shiftMonth(1));

  async function loadList() {
    const broadcasts = await api("GET", "/api/admin/broadcasts");
    $("bc-list").replaceChildren(...broadcasts.slice(0, 30).map((b) => el("li", {},
      el("button", { type: "button", class: `item${state.broadcast?.id === b.id ? " selected" : ""}`, dataset: { id: b.id }, onclick: () => openBroadcast(b.id) },
        el("span", { class: "item-title" }, b.title || firstLine(b.text)),
        el("span", { class: "item-meta" }, `${when(b.startedAt || b.sendAt)} · ${channelNames[b.channel] || "mọi kênh"} · `,
          el("span", { class: `tag ${b.status === "done" ? "ok" : b.status === "cancelled" ? "muted-tag" : "warn"}` }, statusNames[b.status] || b.status),
          b.total ? ` ${number.format(b.sent)}/${number.format(b.total)} đã gửi` : "")))));
  }
  const firstLine = (text) => { const line = (text || "").split("\n")[0]; return line.length > 80 ? `${line.slice(0, 80)}…` : line; };

  // ---- Compose
  function showCompose() {
    stopPolling();
    state.broadcast = null;
    $("bc-detail").hidden = false;
    $("bc-form").hidden = false;
    $("bc-view").hidden = true;
    clearErrors($("bc-form"));
    openDetail("broadcasts");
    refreshPreview();
    refreshAudience();
    $("bc-text").focus();
  }
  $("bc-new").addEventListener("click", showCompose);

  const debounce = (fn, ms = 300) => { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; };
  async function refreshPreview() {
    const text = $("bc-text").value;
    const max = state.setup?.maxTextLength || 3500;
    $("bc-text-count").textContent = `${number.format(text.trim().length)}/${number.format(max)} ký tự`;
    let rendered = "";
    if (text.trim()) {
      try { rendered = (await api("POST", "/api/admin/broadcasts/preview", { text })).text; }
      catch (e) { if (e instanceof Problem && e.status === 400) rendered = ""; else throw e; }
    }
    const wanted = $("bc-channel").value;
    const channels = (state.setup?.channels || []).filter((c) => !wanted || c.id === wanted);
    $("bc-previews").replaceChildren(...channels.map((c) => {
      const length = rendered.length;
      const over = length > c.maxLength;
      const parts = Math.max(1, Math.ceil(length / c.maxLength));
      const limit = over
        ? (c.id === "telegram" ? el("span", { class: "tag warn" }, `quá ${number.format(c.maxLength)} ký tự của một tin Telegram`)
          : el("span", { class: "tag warn" }, `dài hơn ${number.format(c.maxLength)} ký tự: tách thành ${parts} tin`))
        : null;
      return el("article", { class: `preview-card ${c.id}`, dataset: { channel: c.id } },
        el("header", {}, el("strong", {}, channelNames[c.id] || c.id), " ",
          el("span", { class: "muted" }, `${number.format(length)}/${number.format(c.maxLength)} ký tự`), limit,
          c.on ? null : el("span", { class: "tag muted-tag" }, "kênh đang tắt")),
        el("p", { class: "bubble", "data-placeholder": "(chưa có nội dung)" }, rendered));
    }));
  }
  async function refreshAudience() {
    const params = new URLSearchParams({ topic: $("bc-topic").value, channel: $("bc-channel").value });
    try {
      const audience = await api("GET", `/api/admin/broadcasts/audience?${params}`);
      $("bc-audience").replaceChildren(
        el("p", {}, "Sẽ gửi tới ", el("strong", { id: "bc-audience-total" }, number.format(audience.total)), " người dân đã đăng ký nhận tin"),
        el("ul", { class: "compact" }, audience.channels.map((c) => el("li", { dataset: { channel: c.channel } },
          `${channelNames[c.channel] || c.channel}: ${number.format(c.residents)} người`,
          c.on ? null : el("span", { class: "tag muted-tag" }, "kênh đang tắt, không gửi"),
          c.note ? el("span", { class: "hint" }, ` — ${c.note}`) : null))));
    } catch (e) { report(e); }
  }
  $("bc-text").addEventListener("input", debounce(refreshPreview));
  $("bc-channel").addEventListener("change", () => { refreshPreview().catch(report); refreshAudience(); });
  $("bc-topic").addEventListener("change", refreshAudience);

  function updateWhen() {
    const later = $("bc-when-later").checked;
    $("bc-send-at").hidden = !later;
    $("bc-submit").textContent = later ? "Lên lịch" : "Gửi ngay";
    const q = state.setup?.quietHours;
    $("bc-when-hint").textContent = q ? `Tin đến hạn trong giờ nghỉ đêm (${q.replace("-", "–")}) sẽ chờ tới hết giờ nghỉ.` : "";
  }
  $("bc-when-now").addEventListener("change", updateWhen);
  $("bc-when-later").addEventListener("change", updateWhen);

  $("bc-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    guarded(form, async () => {
      const later = $("bc-when-later").checked;
      const errors = {};
      if (!$("bc-text").value.trim()) errors.text = ["Nhập nội dung tin."];
      if (later && !$("bc-send-at").value) errors.sendAt = ["Chọn ngày giờ gửi."];
      if (Object.keys(errors).length) throw new Problem(400, { errors });
      const created = await api("POST", "/api/admin/broadcasts", {
        text: $("bc-text").value,
        topic: $("bc-topic").value || null,
        channel: $("bc-channel").value || null,
        sendAt: later ? new Date($("bc-send-at").value).toISOString() : null,
      });
      toast(created.warning || (later ? `Đã lên lịch, bắt đầu gửi lúc ${when(created.startsAt)}.` : "Đã bắt đầu gửi."));
      $("bc-text").value = "";
      await openBroadcast(created.id);
      loadMonth(state.month).catch(report);
    });
  });
  // ---- One broadcast: live progress, test send, cancel
  async function openBroadcast(id) {
    stopPolling();
    const broadcast = await api("GET", `/api/admin/broadcasts/${id}`);
    state.broadcast = broadcast;
    $("bc-detail").hidden = false;
    $("bc-form").hidden = true;
    $("bc-view").hidden = false;
    $("bc-view-error").textContent = "";
    $("bc-view-title").textContent = broadcast.title || firstLine(broadcast.text) || `Tin số ${broadcast.id}`;
    const topicTitle = Object.fromEntries(window.staffConsole.topics().map((t) => [t.id, t.title]));
    $("bc-view-meta").textContent = [
      `Gửi lúc ${when(broadcast.sendAt)}`, broadcast.topic ? `chủ đề ${topicTitle[broadcast.topic] || broadcast.topic}` : "mọi chủ đề",
      channelNames[broadcast.channel] || "mọi kênh đang bật", `người tạo: ${broadcast.createdBy === "calendar" ? "lịch định kỳ" : broadcast.createdBy}`,
    ].join(" · ");
    $("bc-view-text").textContent = broadcast.text;
    document.querySelectorAll("#bc-list .item").forEach((b) => b.classList.toggle("selected", Number(b.dataset.id) === id));
    openDetail("broadcasts");
    await pollProgress();
  }

  function stopPolling() { clearTimeout(state.poll); state.poll = null; }
  async function pollProgress() {
    const id = state.broadcast?.id;
    if (!id || $("view-broadcasts").hidden) return;
    let p;
    try { p = await api("GET", `/api/admin/broadcasts/${id}/progress`); }
    catch (e) { report(e); return; }
    if (state.broadcast?.id !== id) return;
    showProgress(p);
    // A cancelled broadcast's sends in flight still finish: follow them until every row has its outcome.
    if (p.status === "scheduled" || p.status === "sending" || p.finished < p.total) state.poll = setTimeout(pollProgress, 1000);
    else Promise.all([loadList(), loadMonth(state.month)]).catch(report);
  }
  function showProgress(p) {
    $("bc-progress").value = p.percent;
    $("bc-percent").textContent = `${p.percent}%`;
    const status = statusNames[p.status] || p.status;
    let text = `${status[0].toUpperCase()}${status.slice(1)}: ${number.format(p.finished)}/${number.format(p.total)} người đã xong.`;
    if (p.status === "scheduled") text = `Đã lên lịch, bắt đầu gửi lúc ${when(state.broadcast.sendAt)}.`;
    else if (p.status === "sending" && p.finishEstimate) text += ` Dự kiến xong lúc ${when(p.finishEstimate)}.`;
    else if ((p.status === "done" || p.status === "cancelled") && p.finishEstimate) text += ` Kết thúc lúc ${when(p.finishEstimate)}.`;
    if (p.quietNow && p.status !== "done" && p.status !== "cancelled") text += " Đang giờ nghỉ đêm: tạm dừng tới sáng.";
    $("bc-progress-text").textContent = text;
    $("bc-view").dataset.status = p.status;
    $("bc-buckets").replaceChildren(...p.buckets.map((b) => el("li", { dataset: { status: b.status }, class: b.count ? "" : "zero" },
      el("span", { class: `dot ${b.status}` }), `${deliveryNames[b.status] || b.status}: `, el("strong", {}, number.format(b.count)))));
    const open = p.status === "scheduled" || p.status === "sending";
    $("bc-cancel").hidden = !open;
    $("bc-test").hidden = !open;
  }

  $("bc-test").addEventListener("click", async () => {
    $("bc-view-error").textContent = "";
    try {
      const result = await api("POST", `/api/admin/broadcasts/${state.broadcast.id}/test`);
      toast(result.failed ? `Đã gửi thử cho ${result.sent} cán bộ, ${result.failed} lần gửi lỗi.` : `Đã gửi thử cho ${result.sent} cán bộ.`);
    } catch (e) { if (e instanceof Problem) $("bc-view-error").textContent = e.message; else throw e; }
  });
  $("bc-cancel").addEventListener("click", async () => {
    if (!confirm("Huỷ tin này? Những người chưa nhận sẽ không nhận được nữa.")) return;
    $("bc-view-error").textContent = "";
    try {
      await api("POST", `/api/admin/broadcasts/${state.broadcast.id}/cancel`);
      toast("Đã huỷ tin.");
      stopPolling();
      await pollProgress();
      loadMonth(state.month).catch(report);
    } catch (e) { if (e instanceof Problem) $("bc-view-error").textContent = e.message; else throw e; }
  });

  // ---- campaigns.yaml, edited with the file's own validation
  $("bc-yaml-card").addEventListener("toggle", async (event) => {
    if (!event.currentTarget.open) return;
    try { $("bc-yaml").value = (await api("GET", "/api/admin/broadcasts/calendar")).yaml; } catch (e) { report(e); }
  });
  $("bc-yaml-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(event.currentTarget, async () => {
      const saved = await api("PUT", "/api/admin/broadcasts/calendar", { yaml: $("bc-yaml").value });
      toast(`Đã lưu lịch: ${saved.parts.length} lượt gửi định kỳ.`);
      await loadMonth(state.month);
    });
  });

  window.staffConsole.addView("broadcasts", loadBroadcasts);
})();
