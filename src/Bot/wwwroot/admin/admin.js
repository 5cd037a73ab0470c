// Staff console: plain JavaScript, no inline script or style (the page is served under a strict CSP).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
    return node;
  };
  const dateTime = new Intl.DateTimeFormat("vi-VN", { dateStyle: "short", timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  const when = (iso) => iso ? dateTime.format(new Date(iso)) : "";
  const percent = (score) => `${Math.round(score * 100)}%`;

  const state = { me: null, topics: [], faqShown: 30, entry: null, handover: null, inboxPage: 1, auditPage: 1, document: null };
  const actionNames = {
    create: "tạo mới", edit: "sửa", retire: "ẩn", restore: "dùng lại", revert: "hoàn tác", import: "nhập tệp",
    release: "theo bản phát hành", "release-kept": "bản phát hành đổi, giữ bản cán bộ",
  };
  const auditNames = {
    login: "đăng nhập", "login-failed": "đăng nhập sai", logout: "đăng xuất",
    "faq-create": "thêm câu hỏi", "faq-edit": "sửa câu hỏi", "faq-retire": "ẩn câu hỏi", "faq-restore": "dùng lại câu hỏi",
    "faq-revert": "hoàn tác câu hỏi", "faq-review-take-release": "dùng bản phát hành", "faq-review-keep": "giữ bản cán bộ",
    "faq-import": "nhập tệp hỏi đáp", "faq-export": "xuất tệp hỏi đáp",
    "document-upload": "tải tài liệu lên", "document-remove": "gỡ tài liệu",
    "handover-reply": "trả lời người dân", "handover-close": "đóng câu hỏi", "handover-teach": "dạy bot",
    "staff-add": "thêm tài khoản", "staff-disable": "khoá tài khoản", "staff-enable": "mở khoá tài khoản", "staff-password-reset": "đặt lại mật khẩu",
    "broadcast-create": "tạo tin thông báo", "broadcast-cancel": "huỷ tin thông báo", "broadcast-preview": "xem trước tin thông báo",
    "broadcast-test": "gửi thử tin thông báo", "broadcast-recipients": "xem người nhận tin", "campaigns-reload": "nạp lại lịch thông báo",
    "campaigns-reload-refused": "lịch thông báo bị từ chối", "campaigns-edit": "sửa lịch truyền thông",
    "campaigns-edit-refused": "lịch truyền thông sửa bị từ chối", "report-export": "xuất báo cáo",
  };
  const statusNames = { open: "chưa trả lời", answered: "đã trả lời", closed: "đã đóng" };
  const channelNames = { web: "Web", telegram: "Telegram", zalo: "Zalo" };

  // ---- HTTP: problems come back as { title, detail, errors: { field: [messages] } }
  class Problem extends Error {
    constructor(status, body) {
      super(body?.detail || body?.title || `Lỗi ${status}`);
      this.status = status;
      this.errors = body?.errors || {};
    }
  }
  async function api(method, url, body) {
    const init = { method, headers: {}, credentials: "same-origin" };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    let response;
    try { response = await fetch(url, init); }
    catch { throw new Problem(0, { detail: "Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại." }); }
    if (response.status === 401 && url !== "/api/admin/login") { showLogin(); throw new Problem(401, { detail: "Phiên đăng nhập đã hết, mời đăng nhập lại." }); }
    if (response.status === 403) throw new Problem(403, { detail: "Tài khoản của bạn không có quyền làm việc này." });
    if (response.status === 204) return null;
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await response.json() : null;
    if (!response.ok) throw new Problem(response.status, data || { detail: response.status === 429 ? "Thử quá nhiều lần, chờ một phút rồi thử lại." : `Lỗi ${response.status}` });
    return data;
  }

  // ---- Form errors are shown next to their field; the typed values are never cleared on error.
  function clearErrors(form) {
    form.querySelectorAll(".field-error, .form-error").forEach((p) => { p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((i) => i.removeAttribute("aria-invalid"));
  }
  function showProblem(form, problem) {
    clearErrors(form);
    let placed = false;
    for (const [field, messages] of Object.entries(problem.errors || {})) {
      const slot = form.querySelector(`[data-error-for="${field}"]`);
      if (!slot) continue;
      slot.textContent = messages.join(" ");
      const input = form.querySelector(`[name="${field}"]`);
      if (input) input.setAttribute("aria-invalid", "true");
      placed = true;
    }
    const general = form.querySelector(".form-error");
    if (general && (!placed || problem.status !== 400)) general.textContent = placed ? "" : problem.message;
    const first = form.querySelector("[aria-invalid]");
    if (first) first.focus();
  }
  // Correcting a field clears its message; the rest stay until the next try.
  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.form || !input.name) return;
    const slot = input.form.querySelector(`[data-error-for="${input.name}"]`);
    if (slot) slot.textContent = "";
    input.removeAttribute("aria-invalid");
  });
  function toast(text) {
    const t = $("toast");
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
  }
  async function guarded(form, action) {
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    try { clearErrors(form); await action(); }
    catch (e) { if (e instanceof Problem) showProblem(form, e); else throw e; }
    finally { if (button) button.disabled = false; }
  }

  // ---- Sign-in and navigation
  function showLogin() {
    $("app").hidden = true;
    $("login-view").hidden = false;
    $("login-user").focus();
  }
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    guarded(form, async () => {
      const userName = $("login-user").value.trim();
      const password = $("login-password").value;
      const errors = {};
      if (!userName) errors.userName = ["Nhập tên đăng nhập."];
      if (!password) errors.password = ["Nhập mật khẩu."];
      if (Object.keys(errors).length) throw new Problem(400, { errors });
      await api("POST", "/api/admin/login", { userName, password });
      $("login-password").value = "";
      await start();
    });
  });
  $("logout").addEventListener("click", async () => {
    try { await api("POST", "/api/admin/logout"); } catch { /* already signed out */ }
    showLogin();
  });

  // Each view: its loader and whether only admins see it. Pages in other files add theirs through staffConsole.addView.
  const views = {
    faq: { load: () => loadFaq() }, inbox: { load: () => loadInbox() }, documents: { load: () => loadDocuments() },
    accounts: { load: () => loadAccounts(), admin: true }, audit: { load: () => loadAudit(), admin: true },
  };
  function route() {
    const view = (location.hash || "#faq").slice(1).split("/")[0];
    const name = views[view] && (state.me?.role === "admin" || !views[view].admin) ? view : "faq";
    for (const v of Object.keys(views)) $(`view-${v}`).hidden = v !== name;
    document.querySelectorAll("#nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === name));
    views[name].load().catch(report);
  }
  function report(e) { if (e instanceof Problem) toast(e.message); else { console.error(e); toast("Có lỗi, tải lại trang để thử lại."); } }
  window.addEventListener("hashchange", route);
  document.querySelectorAll("[data-back]").forEach((b) => b.addEventListener("click", () => {
    document.querySelector(`#view-${b.dataset.back}`).classList.remove("detail-open");
  }));
  const openDetail = (view) => $(`view-${view}`).classList.add("detail-open");

  async function start() {
    try { state.me = await api("GET", "/api/admin/me"); }
    catch { return; }
    $("login-view").hidden = true;
    $("app").hidden = false;
    $("who").textContent = `${state.me.userName} (${state.me.role === "admin" ? "quản trị" : "biên tập"})`;
    document.querySelectorAll("[data-admin]").forEach((a) => { a.hidden = state.me.role !== "admin"; });
    state.topics = await api("GET", "/api/admin/faq/topics");
    for (const select of [$("faq-topic"), $("inbox-topic")]) {
      select.replaceChildren(select.options[0]);
      for (const t of state.topics) select.append(el("option", { value: t.id }, t.title));
    }
    $("faq-entry-topic").replaceChildren(...state.topics.map((t) => el("option", { value: t.id }, t.title)));
    route();
    refreshInboxCount();
  }

  // ---- FAQ editor
  const debounce = (fn, ms = 250) => { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; };
  async function loadFaq() {
    const params = new URLSearchParams({ q: $("faq-search").value, topic: $("faq-topic").value, status: $("faq-status").value });
    const entries = await api("GET", `/api/admin/faq/entries?${params}`);
    const shown = entries.slice(0, state.faqShown);
    $("faq-summary").textContent = entries.length > shown.length ? `${shown.length}/${entries.length} câu hỏi` : `${entries.length} câu hỏi`;
    $("faq-more").hidden = entries.length <= shown.length;
    const topicTitle = Object.fromEntries(state.topics.map((t) => [t.id, t.title]));
    $("faq-list").replaceChildren(...shown.map((e) => el("li", {},
      el("button", { type: "button", class: `item${state.entry?.id === e.id ? " selected" : ""}`, dataset: { id: e.id }, onclick: () => openEntry(e.id) },
        el("span", { class: "item-title" }, e.question),
        el("span", { class: "item-meta" }, topicTitle[e.topic] || e.topic,
          e.retired ? el("span", { class: "tag muted-tag" }, "đã ẩn") : null,
          e.needsReview ? el("span", { class: "tag warn" }, "cần xem lại") : null,
          e.staffChanged ? el("span", { class: "tag" }, "cán bộ đã sửa") : null)))));
  }
  // A long list is shown a page at a time: a phone should not scroll through every entry.
  const faqPage = 30;
  const reloadFaq = () => { state.faqShown = faqPage; loadFaq().catch(report); };
  $("faq-search").addEventListener("input", debounce(reloadFaq));
  $("faq-topic").addEventListener("change", reloadFaq);
  $("faq-status").addEventListener("change", reloadFaq);
  $("faq-more").addEventListener("click", () => { state.faqShown += faqPage; loadFaq().catch(report); });

  const lines = (text) => text.split("\n").map((l) => l.trim()).filter(Boolean);
  function formEntry() {
    return {
      id: $("faq-id").value.trim(),
      topic: $("faq-entry-topic").value,
      question: $("faq-question").value,
      alternates: lines($("faq-alternates").value),
      answer: $("faq-answer").value,
      tags: $("faq-tags").value.split(",").map((t) => t.trim()).filter(Boolean),
      links: lines($("faq-links").value).map((l) => {
        const bar = l.lastIndexOf("|");
        return bar < 0 ? { title: l, url: "" } : { title: l.slice(0, bar).trim(), url: l.slice(bar + 1).trim() };
      }),
      source: $("faq-source").value,
      version: state.entry?.version || 0,
    };
  }
  function fillForm(entry) {
    const c = entry?.content;
    $("faq-id").value = entry?.id || "";
    $("faq-id").readOnly = !!entry?.id;
    $("faq-entry-topic").value = entry?.topic || state.topics[0]?.id || "";
    $("faq-question").value = c?.question || "";
    $("faq-alternates").value = (c?.alternates || []).join("\n");
    $("faq-answer").value = c?.answer || "";
    $("faq-tags").value = (c?.tags || []).join(", ");
    $("faq-links").value = (c?.links || []).map((l) => `${l.title} | ${l.url}`).join("\n");
    $("faq-source").value = c?.source || "";
    $("faq-filled").textContent = entry?.filledAnswer || "";
  }
  function showEntry(entry) {
    state.entry = entry;
    clearErrors($("faq-form"));
    fillForm(entry);
    $("faq-editor").hidden = false;
    $("faq-editor-title").textContent = entry ? "Sửa câu hỏi" : "Thêm câu hỏi";
    $("faq-retire").hidden = !entry || entry.retired;
    $("faq-restore").hidden = !entry || !entry.retired;
    $("faq-review").hidden = !entry?.needsReview;
    $("faq-history-card").hidden = !entry;
    $("faq-history").replaceChildren(...(entry?.history || []).map(historyItem));
    $("faq-try-results").replaceChildren();
    openDetail("faq");
    document.querySelectorAll("#faq-list .item").forEach((b) => b.classList.toggle("selected", b.dataset.id === entry?.id));
  }
  const fieldNames = { question: "câu hỏi", alternates: "cách hỏi khác", answer: "câu trả lời", tags: "thẻ", links: "liên kết", source: "nguồn" };
  const fieldText = (content, key) => {
    const value = content[key];
    if (Array.isArray(value)) return value.map((v) => (typeof v === "object" ? `${v.title} | ${v.url}` : v)).join("\n") || "(trống)";
    return value || "(trống)";
  };
  // Each changed field, before and after, for staff to see what a revert would bring back.
  function beforeAfter(r) {
    if (!r.before || !r.after) return null;
    const changed = Object.keys(fieldNames).filter((k) => JSON.stringify(r.before[k]) !== JSON.stringify(r.after[k]));
    if (!changed.length) return null;
    return el("details", { class: "diff" }, el("summary", {}, "Xem trước và sau"),
      changed.map((k) => el("div", {}, el("strong", {}, fieldNames[k]),
        el("p", { class: "before" }, el("span", { class: "muted" }, "Trước: "), fieldText(r.before, k)),
        el("p", { class: "after" }, el("span", { class: "muted" }, "Sau: "), fieldText(r.after, k)))));
  }
  function historyItem(r, index) {
    const changed = r.before && r.after ? diffSummary(r.before, r.after) : "";
    return el("li", {},
      el("span", { class: "item-title" }, `${when(r.at)} — ${r.actor}: ${actionNames[r.action] || r.action}`),
      changed ? el("span", { class: "item-meta" }, changed) : null,
      beforeAfter(r),
      index === 0 && r.action === "revert" ? null :
        el("button", { type: "button", class: "small", onclick: () => revert(r.id) }, "Hoàn tác thay đổi này"));
  }
  function diffSummary(before, after) {
    const changed = Object.keys(fieldNames).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => fieldNames[k]);
    return changed.length ? `Đổi: ${changed.join(", ")}` : "";
  }
  async function openEntry(id) { showEntry(await api("GET", `/api/admin/faq/entries/${encodeURIComponent(id)}`)); }
  $("faq-new").addEventListener("click", () => showEntry(null));
  $("faq-answer").addEventListener("input", debounce(async () => {
    // The placeholders filled in as residents will read them (the same filling as the bot's replies).
    try {
      const result = await api("POST", "/api/admin/faq/try", { draft: { ...formEntry(), id: formEntry().id || "ban-nhap" }, questions: [] });
      $("faq-filled").textContent = result.filledAnswer;
    } catch { /* shown when saving */ }
  }, 500));

  $("faq-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(event.currentTarget, async () => {
      const input = formEntry();
      const saved = state.entry
        ? await api("PUT", `/api/admin/faq/entries/${encodeURIComponent(state.entry.id)}`, input)
        : await api("POST", "/api/admin/faq/entries", input);
      showEntry(saved);
      toast("Đã lưu. Bot trả lời theo nội dung mới ngay bây giờ.");
      await loadFaq();
    });
  });
  async function change(path, body, message) {
    try {
      const entry = await api("POST", `/api/admin/faq/entries/${encodeURIComponent(state.entry.id)}/${path}`, body);
      showEntry(entry);
      toast(message);
      await loadFaq();
    } catch (e) { showProblem($("faq-form"), e); }
  }
  const revert = (revisionId) => change("revert", { revisionId }, "Đã hoàn tác.");
  $("faq-retire").addEventListener("click", () => change("retire", undefined, "Đã ẩn: bot không dùng câu này nữa."));
  $("faq-restore").addEventListener("click", () => change("restore", undefined, "Đã dùng lại câu hỏi."));
  $("faq-take-release").addEventListener("click", () => change("review", { takeRelease: true }, "Đã dùng bản phát hành."));
  $("faq-keep-mine").addEventListener("click", () => change("review", { takeRelease: false }, "Đã giữ bản của cán bộ."));

  function outcomeText(o) {
    if (!o.answered) return el("span", { class: "tag warn" }, `chuyển cán bộ (${percent(o.score)})`);
    return el("span", {}, o.entryQuestion || o.citation || o.faqId, " ", el("span", { class: "muted" }, `(${percent(o.score)})`));
  }
  $("faq-try-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    guarded(form, async () => {
      const draft = formEntry();
      let result;
      try { result = await api("POST", "/api/admin/faq/try", { draft: { ...draft, id: draft.id || "ban-nhap" }, questions: lines($("faq-try-questions").value) }); }
      catch (e) { if (e instanceof Problem && e.status === 400 && !e.errors.questions) { showProblem($("faq-form"), e); return; } throw e; }
      const draftId = draft.id || "ban-nhap";
      const rows = result.results.map((r) => el("tr", { class: r.draft.faqId === draftId ? "hit" : "" },
        el("td", {}, r.question), el("td", {}, outcomeText(r.now)), el("td", {}, outcomeText(r.draft))));
      const table = el("table", { class: "table" },
        el("thead", {}, el("tr", {}, el("th", {}, "Câu hỏi"), el("th", {}, "Bây giờ"), el("th", {}, "Sau khi lưu"))),
        el("tbody", {}, rows));
      const stolen = result.stolen.length
        ? el("div", { class: "notice" }, el("strong", {}, "Chú ý: sau khi lưu, câu này sẽ trả lời thay cho:"),
            el("ul", {}, result.stolen.map((s) => el("li", {}, `${s.question} (${percent(s.score)})`))))
        : el("p", { class: "muted" }, "Không lấy mất câu hỏi của mục nào khác.");
      $("faq-try-results").replaceChildren(...(rows.length ? [table] : []), stolen);
    });
  });

  $("faq-import-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    guarded(form, async () => {
      const data = new FormData();
      for (const f of $("faq-import-file").files) data.append("file", f, f.name);
      const result = await api("POST", "/api/admin/faq/import", data);
      toast(`Đã nhập: ${result.created} mới, ${result.updated} sửa, ${result.unchanged} giữ nguyên.`);
      await loadFaq();
    });
  });

  // ---- Handover inbox
  async function refreshInboxCount() {
    try {
      const page = await api("GET", "/api/admin/inbox?status=open");
      $("inbox-count").textContent = page.total;
      $("inbox-count").hidden = page.total === 0;
    } catch { /* the inbox view reports */ }
  }
  async function loadInbox() {
    const params = new URLSearchParams({ status: $("inbox-status").value, channel: $("inbox-channel").value,
      topic: $("inbox-topic").value, q: $("inbox-search").value, page: state.inboxPage });
    const page = await api("GET", `/api/admin/inbox?${params}`);
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    $("inbox-summary").textContent = page.total ? `${page.total} nhóm câu hỏi, câu được hỏi nhiều nhất ở trên` : "Không có câu hỏi nào.";
    $("inbox-page").textContent = `Trang ${page.page}/${pages}`;
    $("inbox-prev").disabled = page.page <= 1;
    $("inbox-next").disabled = page.page >= pages;
    const topicTitle = Object.fromEntries(state.topics.map((t) => [t.id, t.title]));
    $("inbox-list").replaceChildren(...page.groups.map((g) => el("li", {},
      el("button", { type: "button", class: "item", dataset: { id: g.ids[0] }, onclick: () => openHandover(g.ids[g.ids.length - 1]) },
        el("span", { class: "item-title" }, g.count > 1 ? el("span", { class: "count" }, `${g.count} người hỏi`) : null, g.question),
        el("span", { class: "item-meta" }, when(g.latestAt), " · ", g.channels.map((c) => channelNames[c] || c).join(", "),
          g.topic ? ` · ${topicTitle[g.topic] || g.topic}` : "", " · ", statusNames[g.status] || g.status)))));
  }
  for (const id of ["inbox-status", "inbox-channel", "inbox-topic"]) $(id).addEventListener("change", () => { state.inboxPage = 1; loadInbox().catch(report); });
  $("inbox-search").addEventListener("input", debounce(() => { state.inboxPage = 1; loadInbox().catch(report); }));
  $("inbox-prev").addEventListener("click", () => { state.inboxPage--; loadInbox().catch(report); });
  $("inbox-next").addEventListener("click", () => { state.inboxPage++; loadInbox().catch(report); });

  async function openHandover(id) {
    const detail = await api("GET", `/api/admin/inbox/${id}`);
    state.handover = detail;
    const h = detail.handover;
    $("inbox-detail").hidden = false;
    $("inbox-question").textContent = h.question;
    $("inbox-meta").textContent = `${when(h.createdAt)} · ${channelNames[h.channel] || h.channel} · ${statusNames[h.status] || h.status}` +
      (detail.group.length > 1 ? ` · ${detail.group.length} người hỏi câu này` : "");
    // One reply reaches every resident of the group: show it once, then where it stands for each of them.
    const replied = detail.group.filter((g) => g.staffReply);
    $("inbox-replies").replaceChildren(...(replied.length ? [el("div", { class: "card" },
      el("p", {}, el("strong", {}, `${replied[0].repliedBy || ""} đã trả lời lúc ${when(replied[0].repliedAt)}:`)),
      el("p", { class: "passage" }, replied[0].staffReply),
      el("ul", { class: "deliveries" }, replied.map((g, i) => el("li", {},
        `Người hỏi ${i + 1} (${channelNames[g.channel] || g.channel}): `,
        el("span", { class: g.deliveredAt ? "tag ok" : "tag warn" },
          g.deliveredAt ? `đã đến người dân ${when(g.deliveredAt)}` : "đang chờ gửi")))))] : []));
    $("inbox-turns").replaceChildren(...detail.turns.map((t) => el("li", {},
      el("span", { class: "item-title" }, `${when(t.at)}: ${t.question}`),
      el("span", { class: "item-meta" }, t.answered ? `Bot đã trả lời: ${t.answer || t.faqId || "từ tài liệu"}` : "Bot chuyển cho cán bộ"))));
    const open = detail.group.filter((g) => g.status === "open");
    $("inbox-reply-form").hidden = open.length === 0;
    clearErrors($("inbox-reply-form"));
    $("inbox-teach-error").textContent = "";
    $("inbox-suggestions").replaceChildren(...detail.suggestions.map((s) => el("li", {},
      el("span", {}, s.question), " ",
      el("button", { type: "button", class: "small", onclick: () => teach(s.faqId) }, "Thêm làm cách hỏi khác"))));
    openDetail("inbox");
  }
  async function teach(faqId) {
    try {
      const result = await api("POST", "/api/admin/inbox/teach", { handoverId: state.handover.handover.id, faqId });
      toast(`Đã dạy bot: "${state.handover.handover.question}" giờ được trả lời bằng "${result.question}".`);
      const entry = await api("GET", `/api/admin/faq/entries/${encodeURIComponent(faqId)}`);
      if (!$("inbox-reply").value.trim()) $("inbox-reply").value = entry.filledAnswer;
    } catch (e) { $("inbox-teach-error").textContent = e.message; }
  }
  $("inbox-new-entry").addEventListener("click", () => {
    const question = state.handover.handover.question;
    location.hash = "#faq";
    showEntry(null);
    $("faq-question").value = question;
    $("faq-entry-topic").value = state.handover.suggestions[0]?.topic || state.topics[0]?.id || "";
    $("faq-answer").focus();
  });
  $("inbox-reply-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(event.currentTarget, async () => {
      const text = $("inbox-reply").value.trim();
      if (!text) throw new Problem(400, { errors: { text: ["Nhập nội dung trả lời."] } });
      if (text.length > 3500) throw new Problem(400, { errors: { text: ["Nội dung trả lời dài quá 3.500 ký tự."] } });
      const open = state.handover.group.filter((g) => g.status === "open");
      for (const h of open) await api("POST", `/api/admin/handovers/${h.id}/reply`, { text });
      $("inbox-reply").value = "";
      toast(open.length > 1 ? `Đã gửi trả lời cho ${open.length} người dân.` : "Đã gửi trả lời.");
      await openHandover(state.handover.handover.id);
      await loadInbox();
      refreshInboxCount();
    });
  });
  $("inbox-close").addEventListener("click", async () => {
    try {
      for (const h of state.handover.group.filter((g) => g.status === "open")) await api("POST", `/api/admin/handovers/${h.id}/close`);
      toast("Đã đóng câu hỏi.");
      $("inbox-detail").hidden = true;
      $("view-inbox").classList.remove("detail-open");
      await loadInbox();
      refreshInboxCount();
    } catch (e) { report(e); }
  });

  // ---- Document library
  async function loadDocuments() {
    const documents = await api("GET", "/api/admin/documents");
    $("doc-list").replaceChildren(...documents.map((d) => el("li", {},
      el("button", { type: "button", class: "item", onclick: () => openDocument(d.fileName) },
        el("span", { class: "item-title" }, d.citation),
        el("span", { class: "item-meta" }, `${d.fileName} · ${d.passages} đoạn`, d.shipped ? " · có sẵn trong bản phát hành" : ` · ${d.uploadedBy}, ${when(d.uploadedAt)}`)))));
    if (!documents.length) $("doc-list").append(el("li", { class: "muted" }, "Chưa có tài liệu nào."));
  }
  function showDocument(detail) {
    state.document = detail.document;
    $("doc-detail").hidden = false;
    $("doc-title").textContent = detail.document.citation;
    $("doc-meta").textContent = `${detail.document.fileName} · ${detail.document.passages} đoạn · mỗi câu trả lời từ tài liệu này ghi rõ nguồn như dưới đây`;
    $("doc-remove").hidden = detail.document.shipped;
    // The citation's document part is the title above; each passage is named by its section and opening words.
    $("doc-passages").replaceChildren(...detail.passages.map((p) => el("li", {},
      el("details", {},
        el("summary", {}, el("strong", {}, p.section ? `Mục ${p.section}` : "Phần mở đầu"), " — ",
          el("span", { class: "muted" }, p.text.length > 90 ? `${p.text.slice(0, 90)}…` : p.text)),
        el("span", { class: "citation" }, `Nguồn ghi kèm câu trả lời: ${p.citation}`),
        el("p", { class: "passage" }, p.text)))));
    openDetail("documents");
  }
  async function openDocument(fileName) { showDocument(await api("GET", `/api/admin/documents/${encodeURIComponent(fileName)}`)); }
  $("doc-upload-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const file = $("doc-file").files[0];
    clearErrors(form);
    if (!file) { showProblem(form, new Problem(400, { errors: { file: ["Chọn một tệp để tải lên."] } })); return; }
    const data = new FormData();
    data.append("file", file, file.name);
    const progress = $("doc-progress");
    const text = $("doc-progress-text");
    progress.hidden = false; text.hidden = false;
    progress.value = 0; text.textContent = "Đang tải lên…";
    form.querySelector("button[type=submit]").disabled = true;
    // XMLHttpRequest reports upload progress; fetch does not.
    const request = new XMLHttpRequest();
    request.open("POST", "/api/admin/documents");
    request.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      progress.value = Math.round((e.loaded / e.total) * 90);
      if (e.loaded === e.total) text.textContent = "Đang đọc và chia đoạn tài liệu…";
    });
    request.addEventListener("loadend", async () => {
      form.querySelector("button[type=submit]").disabled = false;
      let body = null;
      try { body = JSON.parse(request.responseText); } catch { body = null; }
      if (request.status === 201) {
        progress.value = 100;
        text.textContent = "Xong: bot đã trả lời được từ tài liệu này.";
        $("doc-file").value = "";
        showDocument(body);
        await loadDocuments();
      } else {
        progress.hidden = true; text.hidden = true;
        if (request.status === 401) { showLogin(); return; }
        showProblem(form, new Problem(request.status || 0, body || { detail: request.status ? `Lỗi ${request.status}` : "Không kết nối được máy chủ." }));
      }
    });
    request.send(data);
  });
  $("doc-remove").addEventListener("click", async () => {
    if (!state.document?.id || !confirm(`Gỡ tài liệu ${state.document.fileName}? Bot sẽ không trả lời từ tài liệu này nữa.`)) return;
    try {
      await api("DELETE", `/api/admin/documents/${state.document.id}`);
      toast("Đã gỡ tài liệu.");
      $("doc-detail").hidden = true;
      $("view-documents").classList.remove("detail-open");
      await loadDocuments();
    } catch (e) { report(e); }
  });
  $("doc-search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(event.currentTarget, async () => {
      const result = await api("GET", `/api/admin/documents/search?q=${encodeURIComponent($("doc-search").value)}`);
      const verdict = result.answered
        ? el("p", {}, "Bot trả lời ", el("strong", {}, result.faqId ? `bằng câu hỏi ${result.faqId}` : `từ ${result.citation}`), ` (${percent(result.score)})`)
        : el("p", {}, el("span", { class: "tag warn" }, "Bot chuyển cho cán bộ"), ` (${percent(result.score)})`);
      $("doc-search-results").replaceChildren(verdict, el("ol", { class: "passages" }, result.passages.map((p) => el("li", {},
        el("span", { class: "citation" }, `${p.citation} (${percent(p.score)})`),
        el("details", {}, el("summary", { class: "muted" }, p.text.length > 160 ? `${p.text.slice(0, 160)}…` : p.text),
          el("p", { class: "passage" }, p.text))))));
    });
  });

  // ---- Accounts and audit log (admins)
  let passwordFor = null;
  async function loadAccounts() {
    const accounts = await api("GET", "/api/admin/accounts");
    $("account-rows").replaceChildren(...accounts.map((a) => el("tr", {},
      el("td", { "data-label": "Tên đăng nhập" }, a.userName),
      el("td", { "data-label": "Họ tên" }, a.displayName),
      el("td", { "data-label": "Vai trò" }, a.role === "admin" ? "Quản trị" : "Biên tập"),
      el("td", { "data-label": "Trạng thái" }, a.disabled ? el("span", { class: "tag warn" }, "đã khoá") : "đang dùng"),
      el("td", {},
        el("button", { type: "button", class: "small", onclick: () => askPassword(a) }, "Đặt lại mật khẩu"), " ",
        el("button", { type: "button", class: "small", onclick: () => setDisabled(a, !a.disabled) }, a.disabled ? "Mở khoá" : "Khoá")))));
  }
  function askPassword(account) {
    passwordFor = account;
    $("account-password-title").textContent = `Đặt lại mật khẩu cho ${account.userName}`;
    $("account-password-form").hidden = false;
    clearErrors($("account-password-form"));
    $("account-new-password").focus();
  }
  $("account-password-cancel").addEventListener("click", () => { $("account-password-form").hidden = true; });
  $("account-password-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(event.currentTarget, async () => {
      await api("POST", `/api/admin/accounts/${passwordFor.id}/password`, { password: $("account-new-password").value });
      $("account-new-password").value = "";
      $("account-password-form").hidden = true;
      toast(`Đã đặt mật khẩu mới cho ${passwordFor.userName}.`);
    });
  });
  async function setDisabled(account, disabled) {
    try {
      await api("POST", `/api/admin/accounts/${account.id}/${disabled ? "disable" : "enable"}`);
      toast(disabled ? `Đã khoá ${account.userName}.` : `Đã mở khoá ${account.userName}.`);
      await loadAccounts();
    } catch (e) { report(e); }
  }
  $("account-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    guarded(form, async () => {
      const account = await api("POST", "/api/admin/accounts", {
        userName: $("account-user").value, displayName: $("account-name").value,
        password: $("account-password").value, role: $("account-role").value,
      });
      form.reset();
      toast(`Đã tạo tài khoản ${account.userName}.`);
      await loadAccounts();
    });
  });

  async function loadAudit() {
    const params = new URLSearchParams({ actor: $("audit-actor").value, action: $("audit-action").value, q: $("audit-q").value, page: state.auditPage });
    const page = await api("GET", `/api/admin/audit?${params}`);
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    $("audit-page").textContent = `Trang ${page.page}/${pages} (${page.total} dòng)`;
    $("audit-prev").disabled = page.page <= 1;
    $("audit-next").disabled = page.page >= pages;
    $("audit-rows").replaceChildren(...page.entries.map((a) => el("tr", {},
      el("td", { "data-label": "Thời gian" }, when(a.at)), el("td", { "data-label": "Người làm" }, a.actor),
      el("td", { "data-label": "Thao tác" }, auditNames[a.action] || a.action), el("td", { "data-label": "Đối tượng" }, a.target || ""),
      el("td", { "data-label": "Chi tiết" }, a.detail || ""))));
  }
  $("audit-action").append(...Object.entries(auditNames).map(([code, name]) => el("option", { value: code }, name)));
  $("audit-filter").addEventListener("submit", (event) => { event.preventDefault(); state.auditPage = 1; loadAudit().catch(report); });
  $("audit-prev").addEventListener("click", () => { state.auditPage--; loadAudit().catch(report); });
  $("audit-next").addEventListener("click", () => { state.auditPage++; loadAudit().catch(report); });

  // ---- What the other pages of the console (broadcasts.js, analytics.js) share with this one.
  window.staffConsole = {
    $, el, api, when, toast, guarded, report, showProblem, clearErrors, openDetail, Problem,
    me: () => state.me,
    topics: () => state.topics,
    addView: (name, load, admin = false) => { views[name] = { load, admin }; },
  };

  // ---- Start: signed in already (cookie) or show the sign-in form.
  (async () => {
    try { await api("GET", "/api/admin/me"); await start(); }
    catch { showLogin(); }
  })();
})();
